package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.oci.ModelPackConfig;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lays out a release as DESIGN.md's ModelPack artifact: raw layers {@code model.onnx}, {@code
 * serving.json} and {@code golden.json} (its tensors raw: {@link GoldenForms#raw}), each with
 * {@code org.cncf.model.filepath}, and a ModelPack config. The model is hashed as a stream, never
 * read into the heap.
 */
final class ArtifactBuilder {
  static final String MODEL_FILE = "model.onnx";
  static final String SERVING_FILE = "serving.json";
  static final String GOLDEN_FILE = "golden.json";

  private final JsonCodec codec = new JsonCodec();

  Artifact build(
      Path model,
      ServingSpec serving,
      GoldenVectors golden,
      String description,
      String license,
      Instant createdAt)
      throws IOException {
    return build(
        model,
        serving,
        golden,
        description,
        license,
        createdAt,
        serving.inputs().get(0).datatype().name(),
        Map.of());
  }

  /**
   * The artifact of one variant: {@code precision} goes into the ModelPack config, {@code
   * annotations} (the variant's) onto the manifest beside the creation time and version.
   */
  Artifact build(
      Path model,
      ServingSpec serving,
      GoldenVectors golden,
      String description,
      String license,
      Instant createdAt,
      String precision,
      Map<String, String> annotations)
      throws IOException {
    Descriptor modelLayer =
        layer(MediaTypes.MODEL_WEIGHT_RAW, Digest.of(model), Files.size(model), MODEL_FILE);
    byte[] servingBytes = codec.encode(serving);
    byte[] goldenBytes = codec.encode(GoldenForms.raw(golden));
    Descriptor servingLayer =
        layer(
            MediaTypes.MODEL_WEIGHT_CONFIG_RAW,
            Digest.of(servingBytes),
            servingBytes.length,
            SERVING_FILE);
    Descriptor goldenLayer =
        layer(
            MediaTypes.MODEL_DATASET_RAW, Digest.of(goldenBytes), goldenBytes.length, GOLDEN_FILE);
    List<Descriptor> layers = List.of(modelLayer, servingLayer, goldenLayer);
    ModelPackConfig config =
        new ModelPackConfig(
            new ModelPackConfig.Descriptor(
                createdAt,
                serving.model(),
                serving.version(),
                description,
                license == null ? List.of() : List.of(license)),
            new ModelPackConfig.Config("onnx", precision.toLowerCase(java.util.Locale.ROOT)),
            new ModelPackConfig.ModelFs(
                "layers", layers.stream().map(Descriptor::digest).toList()));
    byte[] configBytes = codec.encode(config);
    Descriptor configDescriptor =
        Descriptor.of(MediaTypes.MODEL_CONFIG, Digest.of(configBytes), configBytes.length);
    Manifest manifest =
        Manifest.of(
            MediaTypes.MODEL_ARTIFACT,
            configDescriptor,
            layers,
            null,
            manifestAnnotations(createdAt, serving.version(), annotations));
    byte[] manifestBytes = codec.encode(manifest);
    Map<Digest, byte[]> small = new LinkedHashMap<>();
    small.put(configDescriptor.digest(), configBytes);
    small.put(servingLayer.digest(), servingBytes);
    small.put(goldenLayer.digest(), goldenBytes);
    long size =
        manifestBytes.length
            + configBytes.length
            + layers.stream().mapToLong(Descriptor::size).sum();
    return new Artifact(
        model,
        modelLayer,
        servingLayer,
        goldenLayer,
        small,
        manifestBytes,
        Digest.of(manifestBytes),
        size);
  }

  private static Map<String, String> manifestAnnotations(
      Instant createdAt, String version, Map<String, String> extra) {
    Map<String, String> all = new TreeMap<>(extra);
    all.put(Annotations.CREATED, createdAt.toString());
    all.put(Annotations.VERSION, version);
    return all;
  }

  private static Descriptor layer(String mediaType, Digest digest, long size, String path) {
    return Descriptor.of(mediaType, digest, size).withAnnotation(Annotations.MODEL_FILEPATH, path);
  }
}
