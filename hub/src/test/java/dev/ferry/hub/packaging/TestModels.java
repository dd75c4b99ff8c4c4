package dev.ferry.hub.packaging;

import java.nio.file.Path;

/** Generated ONNX models for tests outside this package. */
public final class TestModels {
  private TestModels() {}

  /**
   * Writes a small fixed-shape {@code y = x·W + b} model.
   *
   * @param path where to write it
   */
  public static void matMulAdd(Path path) {
    OnnxModels.matMulAdd(path, "x", 1, 4, 2, 5);
  }
}
