package dev.ferry.hub.packaging;

import dev.ferry.protocol.testing.FuzzTarget;
import dev.ferry.protocol.testing.Fuzzing;

/**
 * Jazzer on what publishing does with an uploaded model (the external-data check, then ONNX
 * Runtime's inspection), seeded by {@code fuzz/onnx-model}.
 */
class OnnxModelFuzz extends FuzzTarget {
  @Override
  protected Fuzzing target() throws Exception {
    return OnnxTargets.uploadedModel();
  }
}
