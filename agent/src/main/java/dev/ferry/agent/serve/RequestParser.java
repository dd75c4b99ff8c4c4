package dev.ferry.agent.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.util.ByteBufferBackedInputStream;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.json.JsonCodec;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an Open Inference Protocol infer request, JSON alone or with the binary tensor data
 * extension (a JSON header of {@code Inference-Header-Content-Length} bytes, then each binary
 * input's {@code parameters.binary_data_size} bytes in order). Tensor data streams from the parser
 * into primitive arrays; every mistake names the field and the value.
 */
final class RequestParser {

  /** The header that says where the JSON part of a binary request or answer ends. */
  static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  /** Reads and writes tensor numbers with Jackson's fast double parser and writer. */
  static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                  .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                  .build())
          .build();

  private RequestParser() {}

  /**
   * @param body the whole request body, from its position to its limit; binary inputs in direct
   *     memory become tensors over it ({@link BinaryTensors#tensor}), so it must stay unchanged
   *     until the request is answered
   * @param headerLength the {@value #HEADER_LENGTH} header, or null when the body is all JSON
   */
  static InferRequest parse(ByteBuffer body, String headerLength) {
    ByteBuffer bytes = body.slice();
    int jsonLength = jsonLength(headerLength, bytes.limit());
    try (JsonParser parser = JSON.createParser(json(bytes, jsonLength))) {
      return root(parser, bytes, jsonLength, headerLength != null);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "request body is not valid JSON"
              + (e.getLocation() == null
                  ? ""
                  : " at line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()));
    } catch (CharConversionException e) {
      // Jackson's encoding detection: a plain IOException, no JsonProcessingException
      throw new InvalidRequestException(
          "request body is not valid JSON: its bytes are no UTF-8, UTF-16 or UTF-32 text");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON part, read where it lies. */
  private static InputStream json(ByteBuffer body, int jsonLength) {
    return new ByteBufferBackedInputStream(body.duplicate().limit(jsonLength));
  }

  private static int jsonLength(String header, int bodyLength) {
    if (header == null) {
      return bodyLength;
    }
    try {
      int length = Integer.parseInt(header.strip());
      if (length >= 0 && length <= bodyLength) {
        return length;
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new InvalidRequestException(
        "header "
            + HEADER_LENGTH
            + " must be a whole number from 0 to "
            + bodyLength
            + " (the body's length), got '"
            + header
            + "'");
  }

  private static InferRequest root(
      JsonParser parser, ByteBuffer body, int jsonLength, boolean binaryPart) throws IOException {
    startObject(parser.nextToken());
    Fields fields = new Fields();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      fields.read(field, parser, parser.nextToken(), jsonLength);
    }
    if (fields.inputs == null) {
      throw new InvalidRequestException("inputs must be a non-empty array, got null");
    }
    boolean binaryByDefault = flag(fields.parameters, "binary_data_output", "parameters");
    Map<String, Boolean> binary = new HashMap<>();
    List<String> names = outputs(fields.outputs, binary);
    List<ArrayTensor> tensors = tensors(fields.inputs, body, jsonLength, binaryPart);
    return new InferRequest(fields.id, tensors, names, binaryByDefault, binary);
  }

  private static void startObject(JsonToken first) {
    if (first == null) {
      throw new InvalidRequestException("request body is empty; send a JSON object");
    }
    if (first != JsonToken.START_OBJECT) {
      throw new InvalidRequestException(
          "request body must be a JSON object, got " + JsonCodec.kind(first));
    }
  }

  /** The request's top-level fields as they are read. */
  private static final class Fields {
    String id;
    List<RequestInput> inputs;
    JsonNode outputs;
    JsonNode parameters;

    void read(String field, JsonParser parser, JsonToken value, int jsonLength) throws IOException {
      switch (field) {
        case "id" -> id = id(parser, value);
        case "inputs" -> inputs = inputs(parser, value, jsonLength);
        case "outputs" -> outputs = JSON.readTree(parser);
        case "parameters" -> parameters = JSON.readTree(parser);
        default -> parser.skipChildren();
      }
    }
  }

  private static String id(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.VALUE_STRING) {
      throw new InvalidRequestException("id must be a string, got " + shown(parser));
    }
    return parser.getText();
  }

  private static List<RequestInput> inputs(JsonParser parser, JsonToken value, int jsonLength)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      throw new InvalidRequestException("inputs must be a non-empty array, got " + shown(parser));
    }
    List<RequestInput> inputs = new ArrayList<>();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      String where = "inputs[" + inputs.size() + "]";
      if (token != JsonToken.START_OBJECT) {
        throw new InvalidRequestException(where + " must be an object, got " + shown(parser));
      }
      inputs.add(input(parser, where, jsonLength));
    }
    if (inputs.isEmpty()) {
      throw new InvalidRequestException("inputs must be a non-empty array, got []");
    }
    return inputs;
  }

  /** One input object; its data streams when name and datatype came first, as they usually do. */
  private static RequestInput input(JsonParser parser, String where, int jsonLength)
      throws IOException {
    RequestInput input = new RequestInput(where);
    TokenBuffer early = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      parser.nextToken();
      if (field.equals("data")) {
        TokenBuffer buffered = data(parser, input, jsonLength);
        early = buffered == null ? early : buffered;
      } else {
        field(parser, input, field);
      }
    }
    input.check();
    if (early != null) {
      try (JsonParser data = early.asParser()) {
        data.nextToken();
        input.elements = elements(data, input, jsonLength);
      }
    }
    input.checkData();
    return input;
  }

  private static void field(JsonParser parser, RequestInput input, String field)
      throws IOException {
    switch (field) {
      case "name" -> input.name = JSON.readTree(parser);
      case "datatype" -> input.datatypeNode = JSON.readTree(parser);
      case "shape" -> input.shapeNode = JSON.readTree(parser);
      case "parameters" -> input.parameters = JSON.readTree(parser);
      default -> parser.skipChildren();
    }
  }

  /** Streams the data when name and datatype are known; else keeps its tokens for later. */
  private static TokenBuffer data(JsonParser parser, RequestInput input, int jsonLength)
      throws IOException {
    if (input.name != null && input.datatypeNode != null) {
      input.elements = elements(parser, input, jsonLength);
      return null;
    }
    TokenBuffer early = new TokenBuffer(parser);
    early.copyCurrentStructure(parser);
    return early;
  }

  private static Object elements(JsonParser parser, RequestInput input, int jsonLength)
      throws IOException {
    return ElementReader.read(parser, input.datatype(), input.what(), input.capacity(jsonLength));
  }

  private static List<ArrayTensor> tensors(
      List<RequestInput> inputs, ByteBuffer body, int jsonLength, boolean binaryPart) {
    List<ArrayTensor> tensors = new ArrayList<>();
    int offset = jsonLength;
    for (RequestInput input : inputs) {
      if (input.binarySize >= 0) {
        tensors.add(binary(input, body, offset, binaryPart));
        offset += (int) input.binarySize;
      } else {
        tensors.add(
            new ArrayTensor(
                input.nameText(),
                input.datatype(),
                input.shape.stream().mapToLong(Long::longValue).toArray(),
                input.elements));
      }
    }
    if (offset != body.limit()) {
      throw new InvalidRequestException(
          "the request has "
              + (body.limit() - jsonLength)
              + " bytes after its JSON header, its inputs' parameters.binary_data_size add up to "
              + (offset - jsonLength));
    }
    return tensors;
  }

  /** An input from its binary data at an offset of the body. */
  private static ArrayTensor binary(
      RequestInput input, ByteBuffer body, int offset, boolean binaryPart) {
    if (!binaryPart) {
      throw new InvalidRequestException(
          input.what()
              + " has parameters.binary_data_size but the request has no binary part: send the"
              + " length of its JSON in the "
              + HEADER_LENGTH
              + " header");
    }
    if (input.binarySize > body.limit() - offset) {
      throw new InvalidRequestException(
          input.what()
              + " parameters.binary_data_size is "
              + input.binarySize
              + ", only "
              + (body.limit() - offset)
              + " bytes of the request are left");
    }
    return BinaryTensors.tensor(
        input.nameText(),
        body.duplicate().limit(offset + (int) input.binarySize).position(offset),
        input.datatype(),
        input.shape,
        input.count(),
        input.what(),
        "parameters.binary_data_size");
  }

  private static List<String> outputs(JsonNode node, Map<String, Boolean> binary) {
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
      JsonNode parameters = node.get(i).get("parameters");
      if (parameters != null && parameters.has("binary_data")) {
        binary.put(name.asText(), flag(parameters, "binary_data", "outputs[" + i + "].parameters"));
      }
    }
    return names;
  }

  /** A boolean parameter; false when absent. */
  private static boolean flag(JsonNode parameters, String name, String where) {
    if (parameters == null || parameters.isNull()) {
      return false;
    }
    if (!parameters.isObject()) {
      throw new InvalidRequestException(where + " must be an object, got " + parameters);
    }
    JsonNode value = parameters.get(name);
    if (value != null && !value.isBoolean()) {
      throw new InvalidRequestException(
          where + "." + name + " must be true or false, got " + value);
    }
    return value != null && value.booleanValue();
  }

  /** The current value as a message shows it: JSON text, read whole if it is an object. */
  static String shown(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT, START_ARRAY -> JSON.readTree(parser).toString();
      case VALUE_STRING -> new TextNode(parser.getText()).toString();
      default -> parser.getText();
    };
  }
}
