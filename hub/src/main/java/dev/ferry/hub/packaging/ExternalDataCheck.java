package dev.ferry.hub.packaging;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.ferry.protocol.json.Fields;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a model whose tensors keep their data outside the file ({@code external_data}): ONNX
 * Runtime would read those paths on the hub (its keys, say) into golden outputs. Streams over the
 * file before ONNX Runtime opens it, looking into every tensor: initializers, sparse initializers,
 * node attributes, subgraphs and functions.
 */
final class ExternalDataCheck {
  // onnx.proto field numbers
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_FUNCTIONS = 25;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_SPARSE_INITIALIZER = 15;
  private static final int FUNCTION_NODE = 7;
  private static final int NODE_ATTRIBUTE = 5;
  private static final int ATTRIBUTE_TENSOR = 5;
  private static final int ATTRIBUTE_GRAPH = 6;
  private static final int ATTRIBUTE_TENSORS = 10;
  private static final int ATTRIBUTE_GRAPHS = 11;
  private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
  private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
  private static final int SPARSE_VALUES = 1;
  private static final int SPARSE_INDICES = 2;
  private static final int TENSOR_NAME = 8;
  private static final int TENSOR_EXTERNAL_DATA = 13;
  private static final int TENSOR_DATA_LOCATION = 14;
  private static final int EXTERNAL = 1;
  private static final int MAX_DEPTH = 64;

  /** What a message holds; each kind reads its own fields. */
  private enum Kind {
    MODEL,
    GRAPH,
    FUNCTION,
    NODE,
    ATTRIBUTE,
    SPARSE
  }

  private ExternalDataCheck() {}

  /**
   * Checks a model file.
   *
   * @param model the {@code .onnx} file
   * @throws ExternalDataException naming the first tensor with external data
   * @throws InvalidModelException if the model nests graphs too deep
   */
  static void check(Path model) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(model), 1 << 16)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      coded.setRecursionLimit(MAX_DEPTH * 2);
      walk(coded, Kind.MODEL, 0);
    } catch (InvalidProtocolBufferException e) {
      // not a protobuf message at all: ONNX Runtime refuses it too, and its reason is the one
      // users know (ORT_INVALID_PROTOBUF), so it is left to say so
    }
  }

  private static void walk(CodedInputStream coded, Kind kind, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new InvalidModelException("model nests graphs deeper than " + MAX_DEPTH + " levels");
    }
    for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
      boolean message = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
      int field = WireFormat.getTagFieldNumber(tag);
      if (message && isTensor(kind, field)) {
        within(coded, () -> tensor(coded));
      } else if (message && child(kind, field) != null) {
        Kind inner = child(kind, field);
        within(coded, () -> walk(coded, inner, depth + 1));
      } else {
        coded.skipField(tag);
      }
    }
  }

  private static boolean isTensor(Kind kind, int field) {
    return switch (kind) {
      case GRAPH -> field == GRAPH_INITIALIZER;
      case ATTRIBUTE -> field == ATTRIBUTE_TENSOR || field == ATTRIBUTE_TENSORS;
      case SPARSE -> field == SPARSE_VALUES || field == SPARSE_INDICES;
      default -> false;
    };
  }

  /** The kind of a nested message worth reading, or null to skip it. */
  private static Kind child(Kind kind, int field) {
    return switch (kind) {
      case MODEL ->
          field == MODEL_GRAPH ? Kind.GRAPH : field == MODEL_FUNCTIONS ? Kind.FUNCTION : null;
      case GRAPH ->
          field == GRAPH_NODE ? Kind.NODE : field == GRAPH_SPARSE_INITIALIZER ? Kind.SPARSE : null;
      case FUNCTION -> field == FUNCTION_NODE ? Kind.NODE : null;
      case NODE -> field == NODE_ATTRIBUTE ? Kind.ATTRIBUTE : null;
      case ATTRIBUTE -> attributeChild(field);
      case SPARSE -> null;
    };
  }

  private static Kind attributeChild(int field) {
    if (field == ATTRIBUTE_GRAPH || field == ATTRIBUTE_GRAPHS) {
      return Kind.GRAPH;
    }
    return field == ATTRIBUTE_SPARSE_TENSOR || field == ATTRIBUTE_SPARSE_TENSORS
        ? Kind.SPARSE
        : null;
  }

  /** One TensorProto: refused if its data lives elsewhere. */
  private static void tensor(CodedInputStream coded) throws IOException {
    String name = "";
    boolean external = false;
    for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field == TENSOR_NAME
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        name = coded.readString();
      } else if (field == TENSOR_DATA_LOCATION
          && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
        external |= coded.readEnum() == EXTERNAL;
      } else {
        external |= field == TENSOR_EXTERNAL_DATA;
        coded.skipField(tag);
      }
    }
    if (external) {
      throw new ExternalDataException(
          "tensor "
              + Fields.show(name)
              + " keeps its data outside the model (external_data); publish a model with every"
              + " tensor's data inside the .onnx file");
    }
  }

  /** Reads one length-delimited message with {@code body}, within its length. */
  private static void within(CodedInputStream coded, Body body) throws IOException {
    int limit = coded.pushLimit(coded.readRawVarint32());
    body.read();
    coded.popLimit(limit);
  }

  @FunctionalInterface
  private interface Body {
    void read() throws IOException;
  }
}
