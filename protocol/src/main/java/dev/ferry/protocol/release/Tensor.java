package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * A tensor with its data, in Open Inference Protocol JSON form: a flat, row-major {@code data} list
 * of numbers, booleans ({@code BOOL}) or strings ({@code BYTES}).
 *
 * @param name the tensor name
 * @param datatype the element type
 * @param shape the concrete dimensions
 * @param data the elements, row-major; as many as the shape holds
 */
public record Tensor(String name, Datatype datatype, List<Long> shape, List<Object> data) {
  /** Checks that the data fits the shape and the type. */
  public Tensor {
    Fields.text(name, "name");
    Fields.required(datatype, "datatype");
    shape = Fields.list(Fields.required(shape, "shape"), "shape");
    long elements = 1;
    for (int i = 0; i < shape.size(); i++) {
      Fields.atLeast(shape.get(i), 0, "shape[" + i + "]");
      elements = Math.multiplyExact(elements, shape.get(i));
    }
    data = Fields.list(Fields.required(data, "data"), "data");
    if (data.size() != elements) {
      throw new FieldException(
          "data",
          "must hold " + elements + " elements for shape " + shape + ", got " + data.size());
    }
    for (int i = 0; i < data.size(); i++) {
      checkElement(datatype, data.get(i), i);
    }
  }

  private static void checkElement(Datatype datatype, Object element, int index) {
    boolean fits =
        datatype.isNumeric()
            ? element instanceof Number
            : datatype == Datatype.BOOL ? element instanceof Boolean : element instanceof String;
    if (!fits) {
      throw new FieldException(
          "data[" + index + "]", "must be a " + datatype + " element, got " + Fields.show(element));
    }
  }
}
