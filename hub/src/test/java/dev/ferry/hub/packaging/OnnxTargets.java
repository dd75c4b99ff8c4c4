package dev.ferry.hub.packaging;

import dev.ferry.protocol.testing.Fuzzing;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What publishing does with an uploaded model before it packages it (the external-data check, then
 * ONNX Runtime's inspection) as a fuzz target: bad input may only be refused with {@link
 * ExternalDataException} (400) or {@link InvalidModelException} (422).
 */
final class OnnxTargets {
  private OnnxTargets() {}

  static Fuzzing uploadedModel() throws Exception {
    Path file = Files.createTempFile("ferry-fuzz-", ".onnx");
    file.toFile().deleteOnExit();
    return new Fuzzing(
        "onnx-model",
        input -> {
          Files.write(file, input);
          ExternalDataCheck.check(file);
          OnnxInspector.inspect(file);
        },
        thrown ->
            thrown instanceof ExternalDataException || thrown instanceof InvalidModelException);
  }
}
