package dev.ferry.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.ferry.protocol.release.Datatype;

/**
 * A tensor has an element type the Open Inference Protocol, or ONNX Runtime's Java API, cannot
 * carry.
 */
public final class UnsupportedElementTypeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UnsupportedElementTypeException(String what, OnnxTensorType type) {
    super(what + " has element type " + type + ", which the Open Inference Protocol cannot carry");
  }

  UnsupportedElementTypeException(String what, Datatype datatype) {
    super(what + " has datatype " + datatype + ", which ONNX Runtime's Java API cannot carry");
  }
}
