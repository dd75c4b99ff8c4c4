package dev.ferry.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * Encodes and decodes Ferry's JSON messages.
 *
 * <p>Decoding caps the payload at the size its type declares ({@link MaxBytes}) before parsing,
 * rejects duplicate keys, ignores unknown fields (forward compatibility), checks the {@link Schema}
 * of annotated records, and rejects a missing field, a wrong type or a broken rule with a {@link
 * MalformedMessageException} whose message names the field path and the value: {@code
 * "ferry.desired/v1: models[0].manifestDigest is missing"}. Encoding writes the {@code schema}
 * field first for annotated records. Instances hold no state and are thread-safe.
 */
public final class JsonCodec {
  /** The cap for a type that declares none ({@link MaxBytes}): 1 MiB. */
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  private static final ClassValue<Integer> CAPS =
      new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
          MaxBytes declared = type.getAnnotation(MaxBytes.class);
          if (declared != null && declared.value() < 1) {
            throw new IllegalArgumentException(
                "@MaxBytes of " + type.getName() + " must be at least 1, got " + declared.value());
          }
          return declared == null ? DEFAULT_MAX_BYTES : declared.value();
        }
      };

  /** An annotated type's opening brace and schema field ({@code {"schema":"…"}), else nothing. */
  private static final ClassValue<byte[]> SCHEMA_FIELDS =
      new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
          Schema schema = type.getAnnotation(Schema.class);
          if (schema == null) {
            return new byte[0];
          }
          try {
            byte[] object =
                WireMapper.MAPPER.writeValueAsBytes(
                    Map.of(PayloadShape.schemaField(), schema.value()));
            return Arrays.copyOf(object, object.length - 1);
          } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the schema of " + type.getName(), e);
          }
        }
      };

  /** A codec; every one behaves the same. */
  public JsonCodec() {}

  /**
   * The largest payload decoded as a type, in bytes: its {@link MaxBytes}, or {@value
   * #DEFAULT_MAX_BYTES}.
   *
   * @param type the message type
   */
  public static int maxBytes(Class<?> type) {
    return CAPS.get(type);
  }

  /**
   * Encodes a value as UTF-8 JSON, with its {@code schema} field first when its type has one.
   *
   * @param value the record to encode
   * @return the JSON bytes
   */
  public byte[] encode(Object value) {
    try {
      byte[] fields = WireMapper.MAPPER.writeValueAsBytes(value);
      byte[] schema = SCHEMA_FIELDS.get(value.getClass());
      return schema.length == 0 ? fields : withSchemaFirst(schema, fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * The schema field spliced in before a record's own fields: the record is serialised once, not
   * through a tree (B6: a fan-out encodes a desired state for each device).
   */
  private static byte[] withSchemaFirst(byte[] schema, byte[] object) {
    if (object.length < 2 || object[0] != '{') {
      throw new IllegalStateException("a type with a schema must encode as an object");
    }
    boolean noFields = object.length == 2;
    byte[] joined = new byte[schema.length + (noFields ? 0 : 1) + object.length - 1];
    System.arraycopy(schema, 0, joined, 0, schema.length);
    if (!noFields) {
      joined[schema.length] = ',';
    }
    System.arraycopy(object, 1, joined, joined.length - (object.length - 1), object.length - 1);
    return joined;
  }

  /**
   * Decodes a payload, reading at most the type's {@link #maxBytes(Class)} + 1 bytes of the stream.
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
      return decode(in.readNBytes(maxBytes(type) + 1), type);
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
    int maxBytes = maxBytes(type);
    if (payload.length > maxBytes) {
      throw new MalformedMessageException(
          what + ": payload of " + payload.length + " bytes exceeds the limit of " + maxBytes);
    }
    PayloadShape.check(what, type, payload);
    return bind(what, type, payload);
  }

  private static <T> T bind(String what, Class<T> type, byte[] payload) {
    JsonParser parser = null;
    try {
      parser = WireMapper.MAPPER.createParser(payload);
      return WireMapper.MAPPER.readValue(parser, type);
    } catch (JsonProcessingException e) {
      // translated before the parser closes: the message quotes the value it stopped at
      throw JacksonErrors.translate(what, e);
    } catch (CharConversionException e) {
      throw JacksonErrors.encoding(what, e);
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
   * The JSON kind a token starts, named as a tree node's type is (ARRAY, STRING, …).
   *
   * @param token a token
   * @return its kind
   */
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

  private static String label(Class<?> type) {
    Schema schema = type.getAnnotation(Schema.class);
    return schema == null ? type.getSimpleName() : schema.value();
  }
}
