package dev.ferry.hub.packaging;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.json.Fields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Reads the variants of a multipart publish request: one text field {@code variant} per variant
 * ({@code name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16}) and its files in the fields
 * {@code variant.<name>.model} (required) and {@code variant.<name>.golden} (optional).
 */
final class VariantForm {
  private VariantForm() {}

  /**
   * The variants of a request.
   *
   * @param fields the {@code variant} fields
   * @param uploads every uploaded file
   * @param maxModelSize the largest model file accepted, in bytes
   * @return the variants, in the order of their fields
   * @throws ApiException 400 if a file is missing or belongs to no variant, 413 if one is too large
   */
  static List<VariantUpload> read(
      List<String> fields, List<FileUpload> uploads, long maxModelSize) {
    Map<String, FileUpload> files = new HashMap<>();
    uploads.stream()
        .filter(u -> u.name().startsWith("variant."))
        .forEach(u -> files.put(u.name(), u));
    List<VariantUpload> variants = new ArrayList<>();
    for (String field : fields) {
      VariantTarget target = VariantTarget.parse(field);
      FileUpload model = files.remove(fieldOf(target, "model"));
      if (model == null) {
        throw invalid(
            "variant "
                + Fields.show(target.name())
                + " has no file: send it as the"
                + " multipart field '"
                + fieldOf(target, "model")
                + "'",
            fieldOf(target, "model"));
      }
      checkSize(model, maxModelSize);
      FileUpload golden = files.remove(fieldOf(target, "golden"));
      variants.add(
          new VariantUpload(
              target, model.uploadedFile(), golden == null ? null : golden.uploadedFile()));
    }
    if (!files.isEmpty()) {
      String name = files.keySet().iterator().next();
      throw invalid("file field " + Fields.show(name) + " belongs to no variant field", name);
    }
    return variants;
  }

  private static String fieldOf(VariantTarget target, String file) {
    return "variant." + target.name() + "." + file;
  }

  private static void checkSize(FileUpload model, long maxModelSize) {
    if (model.size() > maxModelSize) {
      throw new ApiException(
          ErrorCode.TOO_LARGE,
          "model of " + model.size() + " bytes exceeds ferry.hub.max-model-size " + maxModelSize);
    }
  }

  private static ApiException invalid(String message, String field) {
    return new ApiException(ErrorCode.INVALID_REQUEST, message, Map.of("field", field));
  }
}
