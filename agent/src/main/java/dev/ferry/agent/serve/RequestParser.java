package dev.ferry.agent.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.Tensor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Parses an Open Inference Protocol infer request body; every mistake names field and value. */
final class RequestParser {
  /** The datatypes a request may carry. */
  static final Set<Datatype> SUPPORTED =
      EnumSet.of(
          Datatype.BOOL,
          Datatype.UINT8,
          Datatype.INT8,
          Datatype.INT16,
          Datatype.INT32,
          Datatype.INT64,
          Datatype.FP16,
          Datatype.BF16,
          Datatype.FP32,
          Datatype.FP64,
          Datatype.BYTES);

  private RequestParser() {}

  static InferRequest parse(ObjectMapper json, String body) {
    JsonNode root = tree(json, body);
    if (!root.isObject()) {
      throw new InvalidRequestException(
          "request body must be a JSON object, got " + root.getNodeType());
    }
    JsonNode id = root.get("id");
    if (id != null && !id.isNull() && !id.isTextual()) {
      throw new InvalidRequestException("id must be a string, got " + id);
    }
    JsonNode inputs = root.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
      throw new InvalidRequestException("inputs must be a non-empty array, got " + inputs);
    }
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      tensors.add(tensor(inputs.get(i), "inputs[" + i + "]"));
    }
    return new InferRequest(
        id == null || id.isNull() ? null : id.asText(), tensors, outputs(root.get("outputs")));
  }

  private static JsonNode tree(ObjectMapper json, String body) {
    try {
      JsonNode root = json.readTree(body == null ? "" : body);
      if (root == null || root.isMissingNode()) {
        throw new InvalidRequestException("request body is empty; send a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "request body is not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr());
    }
  }

  private static Tensor tensor(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new InvalidRequestException(where + " must be an object, got " + node);
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new InvalidRequestException(where + ".name must be a non-empty string, got " + name);
    }
    String what = "input '" + name.asText() + "'";
    Datatype datatype = datatype(node.get("datatype"), what);
    List<Long> shape = shape(node.get("shape"), what);
    List<Object> data = Elements.flatten(node.get("data"), datatype, what);
    long needed = elements(shape, what);
    if (data.size() != needed) {
      throw new InvalidRequestException(
          what + " data holds " + data.size() + " elements, shape " + shape + " needs " + needed);
    }
    return new Tensor(name.asText(), datatype, shape, data);
  }

  private static Datatype datatype(JsonNode node, String what) {
    if (node == null || !node.isTextual()) {
      throw new InvalidRequestException(what + " datatype must be a string, got " + node);
    }
    for (Datatype datatype : SUPPORTED) {
      if (datatype.name().equals(node.asText())) {
        return datatype;
      }
    }
    throw new InvalidRequestException(what + " datatype " + node + " is not one of " + SUPPORTED);
  }

  private static List<Long> shape(JsonNode node, String what) {
    List<Long> shape = new ArrayList<>();
    if (node != null && node.isArray()) {
      for (JsonNode dim : node) {
        if (!dim.canConvertToExactIntegral() || !dim.canConvertToLong() || dim.asLong() < 0) {
          shape = null;
          break;
        }
        shape.add(dim.asLong());
      }
    }
    if (node == null || !node.isArray() || shape == null) {
      throw new InvalidRequestException(
          what + " shape must be an array of non-negative integers, got " + node);
    }
    return shape;
  }

  private static long elements(List<Long> shape, String what) {
    try {
      long product = 1;
      for (long dim : shape) {
        product = Math.multiplyExact(product, dim);
      }
      return product;
    } catch (ArithmeticException e) {
      throw new InvalidRequestException(what + " shape " + shape + " holds too many elements");
    }
  }

  private static List<String> outputs(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new InvalidRequestException("outputs must be an array, got " + node);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode name = node.get(i).get("name");
      if (name == null || !name.isTextual()) {
        throw new InvalidRequestException("outputs[" + i + "].name must be a string, got " + name);
      }
      names.add(name.asText());
    }
    return names;
  }
}
