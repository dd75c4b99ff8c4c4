package dev.ferry.agent.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * An input that arrives as typed fields rather than JSON (the gRPC endpoint's): its name, datatype
 * and shape checked by the same code, with the same messages, as a JSON input's.
 */
public final class FieldInput {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final RequestInput input;

  private FieldInput(RequestInput input) {
    this.input = input;
  }

  /**
   * Checks an input's header.
   *
   * @param where the input's place, for messages: {@code inputs[0]}
   * @throws InvalidRequestException naming the field and the value
   */
  public static FieldInput of(String where, String name, String datatype, List<Long> shape) {
    RequestInput input = new RequestInput(where);
    input.name = NODES.textNode(name);
    input.datatypeNode = NODES.textNode(datatype);
    ArrayNode dims = NODES.arrayNode(shape.size());
    shape.forEach(dims::add);
    input.shapeNode = dims;
    input.check();
    return new FieldInput(input);
  }

  /** The datatype, one ONNX Runtime can create. */
  public Datatype datatype() {
    return input.datatype();
  }

  /** The elements the shape holds. */
  public int count() {
    return input.count();
  }

  /** The input, for messages: {@code input 'x'}. */
  public String what() {
    return input.what();
  }

  /**
   * The tensor from its raw bytes (the binary tensor data extension's encoding).
   *
   * @param bytes from position to limit
   * @param field where they came from, for messages: {@code raw_input_contents[0]}
   */
  public ArrayTensor raw(ByteBuffer bytes, String field) {
    return BinaryTensors.tensor(
        input.nameText(), bytes, datatype(), input.shape, count(), what(), field);
  }

  /**
   * The tensor from elements already in the datatype's array ({@link ArrayTensor}), each checked
   * against the datatype's range.
   *
   * @param field where they came from, for messages: {@code contents}
   */
  public ArrayTensor elements(Object elements, String field) {
    input.checkCount(java.lang.reflect.Array.getLength(elements), field);
    return tensor(elements);
  }

  private ArrayTensor tensor(Object elements) {
    long[] shape = input.shape.stream().mapToLong(Long::longValue).toArray();
    return new ArrayTensor(input.nameText(), datatype(), shape, elements);
  }
}
