package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * The declared name, type and shape of a model input or output (Open Inference Protocol metadata
 * shape).
 *
 * @param name the tensor name in the ONNX graph
 * @param datatype the element type
 * @param shape the dimensions; -1 for a dynamic one
 */
public record TensorSpec(String name, Datatype datatype, List<Long> shape) {
  /** Checks the fields. */
  public TensorSpec {
    Fields.text(name, "name");
    Fields.required(datatype, "datatype");
    shape = Fields.list(Fields.required(shape, "shape"), "shape");
    for (int i = 0; i < shape.size(); i++) {
      if (shape.get(i) < -1) {
        throw new FieldException(
            "shape[" + i + "]", "must be -1 (dynamic) or at least 0, got " + shape.get(i));
      }
    }
  }

  /**
   * Whether a concrete shape fits this declared shape: same rank, and equal wherever this one is
   * not dynamic.
   *
   * @param concrete the shape of an actual tensor
   * @return true if it fits
   */
  public boolean accepts(List<Long> concrete) {
    if (concrete.size() != shape.size()) {
      return false;
    }
    for (int i = 0; i < shape.size(); i++) {
      if (shape.get(i) != -1 && !shape.get(i).equals(concrete.get(i))) {
        return false;
      }
    }
    return true;
  }
}
