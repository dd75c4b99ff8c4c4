package dev.ferry.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

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
      Schema schema = value.getClass().getAnnotation(Schema.class);
      if (schema == null) {
        return WireMapper.MAPPER.writeValueAsBytes(value);
      }
      ObjectNode node =
          WireMapper.MAPPER.createObjectNode().put(PayloadShape.schemaField(), schema.value());
      node.setAll((ObjectNode) WireMapper.MAPPER.valueToTree(value));
      return WireMapper.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
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
      int maxBytes = maxBytes(type);
      byte[] payload = in.readNBytes(maxBytes + 1);
      if (payload.length > maxBytes) {
        // what follows was never read: its length is unknown
        throw new MalformedMessageException(
            label(type) + ": payload exceeds the limit of " + maxBytes + " bytes");
      }
      return decode(payload, type);
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

  /**
   * What a failure of Jackson's to read JSON means, named as this codec names its own (the field
   * path and the value): for JSON another reader bound, such as a REST framework's.
   *
   * @param what what was read: {@code "request body"}
   * @param e Jackson's failure
   * @return the exception to answer with
   */
  public static MalformedMessageException malformed(String what, JsonProcessingException e) {
    return JacksonErrors.translate(what, e);
  }

  private static String label(Class<?> type) {
    Schema schema = type.getAnnotation(Schema.class);
    return schema == null ? type.getSimpleName() : schema.value();
  }
}
