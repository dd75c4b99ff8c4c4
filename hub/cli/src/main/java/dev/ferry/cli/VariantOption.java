package dev.ferry.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code --variant} of {@code ferry publish}: {@code
 * name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16,file=model-fp16.onnx[,golden=golden.json]}.
 * The hub is sent the target ({@code name}, {@code providers}, {@code precision}) as the field
 * {@code variant} and the files as {@code variant.<name>.model} and {@code variant.<name>.golden}.
 *
 * @param name the variant's name
 * @param target the text of the {@code variant} field
 * @param model its ONNX file
 * @param golden its golden vectors file, or null
 */
record VariantOption(String name, String target, Path model, Path golden) {
  /**
   * Parses the option's value.
   *
   * @param text the value
   * @return the variant
   * @throws IllegalArgumentException naming what is missing
   */
  static VariantOption parse(String text) {
    List<String> target = new ArrayList<>();
    String name = null;
    Path model = null;
    Path golden = null;
    for (String pair : text.split(",")) {
      String key = pair.substring(0, Math.max(0, pair.indexOf('='))).strip();
      String value = pair.substring(pair.indexOf('=') + 1).strip();
      switch (key) {
        case "file" -> model = Path.of(value);
        case "golden" -> golden = Path.of(value);
        default -> target.add(pair.strip());
      }
      name = key.equals("name") ? value : name;
    }
    if (name == null || model == null) {
      throw new IllegalArgumentException(
          "--variant needs name=… and file=… (name=fp16-cuda,providers=CUDA,precision=FP16,"
              + "file=model-fp16.onnx), got '"
              + text
              + "'");
    }
    return new VariantOption(name, String.join(",", target), model, golden);
  }
}
