package dev.ferry.agent.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.onnx.OrtTypes;
import dev.ferry.protocol.release.Datatype;
import java.util.ArrayList;
import java.util.List;

/** An input as it is read: its fields checked in the order name, datatype, shape, data. */
final class RequestInput {
  private final String where;
  JsonNode name;
  JsonNode datatypeNode;
  JsonNode shapeNode;
  JsonNode parameters;
  Object elements;
  List<Long> shape;
  long binarySize = -1;
  private Datatype datatype;

  RequestInput(String where) {
    this.where = where;
  }

  String nameText() {
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new InvalidRequestException(where + ".name must be a non-empty string, got " + name);
    }
    return name.asText();
  }

  String what() {
    return "input '" + nameText() + "'";
  }

  Datatype datatype() {
    if (datatype == null) {
      datatype = parseDatatype();
    }
    return datatype;
  }

  private Datatype parseDatatype() {
    if (datatypeNode == null || !datatypeNode.isTextual()) {
      throw new InvalidRequestException(what() + " datatype must be a string, got " + datatypeNode);
    }
    return OrtTypes.CREATABLE.stream()
        .filter(candidate -> candidate.name().equals(datatypeNode.asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new InvalidRequestException(
                    what() + " datatype " + datatypeNode + " is not one of " + OrtTypes.CREATABLE));
  }

  /** Checks name, datatype, shape and parameters once the object is read. */
  void check() {
    datatype();
    shape = shape();
    count();
    binarySize = binarySize();
  }

  /** The elements the shape needs, when a valid shape came before the data; else a guess. */
  int capacity(int jsonLength) {
    List<Long> known = shapeNode == null ? null : shapeOrNull(shapeNode);
    if (known == null) {
      return 16;
    }
    long product = 1;
    for (long dim : known) {
      if (dim != 0 && product > Long.MAX_VALUE / dim) {
        return 16;
      }
      product *= dim;
    }
    // every element takes at least two bytes of JSON: no shape makes us hold more than the body,
    // and past a million elements the array grows as the data comes
    return (int) Math.min(Math.min(product, jsonLength / 2 + 1), 1 << 20);
  }

  void checkData() {
    if (elements != null && binarySize >= 0) {
      throw new InvalidRequestException(
          what() + " has both data and parameters.binary_data_size; send one");
    }
    if (elements == null && binarySize < 0) {
      throw new InvalidRequestException(what() + " data must be an array, got null");
    }
    if (elements != null) {
      checkCount(java.lang.reflect.Array.getLength(elements), "data");
    }
  }

  /** {@code field} names where the elements came from: {@code data}. */
  void checkCount(int held, String field) {
    if (held != count()) {
      throw new InvalidRequestException(
          what()
              + " "
              + field
              + " holds "
              + held
              + " elements, shape "
              + shape
              + " needs "
              + count());
    }
  }

  private List<Long> shape() {
    List<Long> parsed = shapeNode == null ? null : shapeOrNull(shapeNode);
    if (parsed == null) {
      throw new InvalidRequestException(
          what() + " shape must be an array of non-negative integers, got " + shapeNode);
    }
    return parsed;
  }

  private static List<Long> shapeOrNull(JsonNode node) {
    if (!node.isArray()) {
      return null;
    }
    List<Long> dims = new ArrayList<>();
    for (JsonNode dim : node) {
      if (!dim.canConvertToExactIntegral() || !dim.canConvertToLong() || dim.asLong() < 0) {
        return null;
      }
      dims.add(dim.asLong());
    }
    return dims;
  }

  /** Elements the shape holds; at most an int's worth, as a request can carry no more. */
  int count() {
    try {
      long product = 1;
      for (long dim : shape) {
        product = Math.multiplyExact(product, dim);
      }
      return Math.toIntExact(product);
    } catch (ArithmeticException e) {
      throw new InvalidRequestException(what() + " shape " + shape + " holds too many elements");
    }
  }

  private long binarySize() {
    if (parameters == null || parameters.isNull()) {
      return -1;
    }
    if (!parameters.isObject()) {
      throw new InvalidRequestException(
          what() + " parameters must be an object, got " + parameters);
    }
    return parameters.has("binary_data_size") ? binaryDataSize() : -1;
  }

  private long binaryDataSize() {
    JsonNode size = parameters.get("binary_data_size");
    if (!size.canConvertToExactIntegral() || !size.canConvertToLong() || size.asLong() < 0) {
      throw new InvalidRequestException(
          what() + " parameters.binary_data_size must be a non-negative whole number, got " + size);
    }
    return size.asLong();
  }
}
