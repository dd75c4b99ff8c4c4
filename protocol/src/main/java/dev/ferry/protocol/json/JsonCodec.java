package dev.ferry.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Encodes and decodes Ferry's JSON messages.
 *
 * <p>Decoding caps the payload size before parsing, rejects duplicate keys, ignores unknown fields
 * (forward compatibility), checks the {@link Schema} of annotated records, and rejects a missing
 * field, a wrong type or a broken rule with a {@link MalformedMessageException} whose message names
 * the field path and the value: {@code "ferry.desired/v1: models[0].manifestDigest is missing"}.
 * Encoding writes the {@code schema} field first for annotated records. Instances are immutable and
 * thread-safe.
 */
public final class JsonCodec {
  /** The default payload cap: 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER = newMapper();
  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("^Missing required creator property '([^']*)'");
  private static final Pattern START_MARKER = Pattern.compile(" \\(start marker at \\[.*?\\]\\)");
  private static final String SCHEMA_FIELD = "schema";

  private final int maxBytes;

  /** A codec with the default cap of {@value #DEFAULT_MAX_BYTES} bytes. */
  public JsonCodec() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * A codec that refuses payloads larger than {@code maxBytes}.
   *
   * @param maxBytes the largest payload accepted, in bytes
   */
  public JsonCodec(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /** The largest payload this codec decodes, in bytes. */
  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Encodes a value as UTF-8 JSON, with its {@code schema} field first when its type has one.
   *
   * @param value the record to encode
   * @return the JSON bytes
   */
  public byte[] encode(Object value) {
    try {
      Schema schema = value.getClass().getAnnotation(Schema.class);
      if (schema == null) {
        return MAPPER.writeValueAsBytes(value);
      }
      ObjectNode node = MAPPER.createObjectNode().put(SCHEMA_FIELD, schema.value());
      node.setAll((ObjectNode) MAPPER.valueToTree(value));
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Decodes a payload, reading at most {@link #maxBytes()} + 1 bytes of the stream.
   *
   * @param in the payload
   * @param type the record type to decode
   * @return the decoded record
   * @param <T> the record type
   * @throws MalformedMessageException if the payload is too large or does not decode
   * @throws UncheckedIOException if the stream cannot be read
   */
  public <T> T decode(InputStream in, Class<T> type) {
    try {
      return decode(in.readNBytes(maxBytes + 1), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Decodes a payload.
   *
   * @param payload the UTF-8 JSON bytes
   * @param type the record type to decode
   * @return the decoded record
   * @param <T> the record type
   * @throws MalformedMessageException if the payload is too large or does not decode
   */
  public <T> T decode(byte[] payload, Class<T> type) {
    String what = label(type);
    if (payload.length > maxBytes) {
      throw new MalformedMessageException(
          what + ": payload of " + payload.length + " bytes exceeds the limit of " + maxBytes);
    }
    checkShape(what, type, payload);
    JsonParser parser = null;
    try {
      parser = MAPPER.createParser(payload);
      return MAPPER.readValue(parser, type);
    } catch (JsonMappingException e) {
      // described before the parser closes: the message quotes the value it stopped at
      throw new MalformedMessageException(what + ": " + describe(e), e);
    } catch (JsonProcessingException e) {
      throw malformed(what, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      closeQuietly(parser);
    }
  }

  private static void closeQuietly(JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // a parser over a byte array has nothing to release
      }
    }
  }

  /**
   * One streaming pass over the top level, before the payload is bound: the JSON is well formed, an
   * object, and carries the type's schema. (Cheaper than a tree: telemetry is decoded at thousands
   * of messages a second.)
   */
  private static void checkShape(String what, Class<?> type, byte[] payload) {
    JsonToken schemaToken = null;
    String schemaText = null;
    try (JsonParser parser = MAPPER.createParser(payload)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new MalformedMessageException(
            what + ": expected a JSON object, got " + (first == null ? "nothing" : kind(first)));
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals(SCHEMA_FIELD)) {
          schemaToken = value;
          schemaText = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      JsonToken trailing = parser.nextToken();
      if (trailing != null) {
        throw new MalformedMessageException(
            what + ": malformed JSON: trailing " + kind(trailing) + " after the object");
      }
    } catch (JsonProcessingException e) {
      throw malformed(what, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    checkSchema(type, schemaToken, schemaText);
  }

  private static MalformedMessageException malformed(String what, JsonProcessingException e) {
    var where = e.getLocation();
    String at =
        where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    return new MalformedMessageException(
        what
            + ": malformed JSON"
            + at
            + ": "
            + START_MARKER.matcher(e.getOriginalMessage()).replaceAll(""),
        e);
  }

  /** The JSON kind a token starts, named as a tree node's type is (ARRAY, STRING, …). */
  public static String kind(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "OBJECT";
      case START_ARRAY -> "ARRAY";
      case VALUE_STRING -> "STRING";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "NUMBER";
      case VALUE_TRUE, VALUE_FALSE -> "BOOLEAN";
      case VALUE_NULL -> "NULL";
      default -> token.name();
    };
  }

  private static void checkSchema(Class<?> type, JsonToken token, String given) {
    Schema schema = type.getAnnotation(Schema.class);
    if (schema == null) {
      return;
    }
    String expected = schema.value();
    if (token == null || token == JsonToken.VALUE_NULL) {
      throw new MalformedMessageException(expected + ": schema is missing");
    }
    if (given == null) {
      throw new MalformedMessageException(
          expected + ": schema must be a string, got " + kind(token).toLowerCase());
    }
    if (!accepts(expected, given)) {
      throw new MalformedMessageException(
          "unsupported schema "
              + Fields.show(given)
              + "; this side reads "
              + expected
              + " and its minor versions");
    }
  }

  private static boolean accepts(String expected, String given) {
    return given.equals(expected)
        || (given.startsWith(expected + ".")
            && given.substring(expected.length() + 1).matches("[0-9]{1,9}"));
  }

  private static String label(Class<?> type) {
    Schema schema = type.getAnnotation(Schema.class);
    return schema == null ? type.getSimpleName() : schema.value();
  }

  private static String describe(JsonMappingException e) {
    String path = path(e);
    FieldException broken = find(e, FieldException.class);
    if (broken != null) {
      return join(path, broken.getMessage());
    }
    Matcher missing = MISSING_PROPERTY.matcher(e.getOriginalMessage());
    if (missing.find()) {
      String field = missing.group(1);
      boolean named = path.equals(field) || path.endsWith("." + field);
      return (named ? path : join(path, field)) + " is missing";
    }
    IllegalArgumentException rule = find(e, IllegalArgumentException.class);
    if (rule != null) {
      return (path.isEmpty() ? "" : path + ": ") + rule.getMessage();
    }
    if (e instanceof InvalidFormatException invalid) {
      return problem(path, "must be " + expected(invalid.getTargetType()))
          + ", got "
          + Fields.show(invalid.getValue());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return problem(path, "must be " + expected(mismatch.getTargetType()))
          + ", got "
          + actual(e.getProcessor());
    }
    return problem(path, "is invalid: " + e.getOriginalMessage());
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String join(String path, String message) {
    return path.isEmpty() ? message : path + "." + message;
  }

  private static String problem(String path, String problem) {
    return path.isEmpty() ? problem : path + " " + problem;
  }

  private static <X extends Throwable> X find(Throwable e, Class<X> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String expected(Class<?> type) {
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (type == Instant.class) {
      return "an RFC 3339 timestamp";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || (type.isRecord() && !isScalar(type))) {
      return "an object";
    }
    return "a string";
  }

  private static boolean isScalar(Class<?> type) {
    return Arrays.stream(type.getMethods()).anyMatch(m -> m.isAnnotationPresent(JsonValue.class));
  }

  private static String actual(Object processor) {
    if (!(processor instanceof JsonParser parser)) {
      return "another type";
    }
    try {
      JsonToken token = parser.currentToken();
      if (token == null) {
        return "nothing";
      }
      return switch (token) {
        case START_OBJECT, END_OBJECT -> "an object";
        case START_ARRAY, END_ARRAY -> "an array";
        case VALUE_STRING -> "the string " + Fields.show(parser.getText());
        case VALUE_NULL -> "null";
        default -> parser.getText();
      };
    } catch (IOException e) {
      return "another type";
    }
  }

  private static ObjectMapper newMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // golden vectors and telemetry carry many numbers: Jackson's fast parser and writer
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .defaultPropertyInclusion(
                JsonInclude.Value.construct(
                    JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    for (LogicalType scalar :
        new LogicalType[] {
          LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
        }) {
      mapper
          .coercionConfigFor(scalar)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
    return mapper;
  }
}
