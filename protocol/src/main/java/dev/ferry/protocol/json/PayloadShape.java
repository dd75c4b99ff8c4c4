package dev.ferry.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One streaming pass over a payload's top level, before it is bound: the JSON is well formed, an
 * object, and carries the type's {@link Schema}. (Cheaper than a tree: telemetry is decoded at
 * thousands of messages a second.)
 */
final class PayloadShape {
  private static final String SCHEMA_FIELD = "schema";

  private PayloadShape() {}

  /** The name of the field that carries the schema. */
  static String schemaField() {
    return SCHEMA_FIELD;
  }

  /**
   * Checks the payload's shape and schema.
   *
   * @param what the type's label, for messages
   * @throws MalformedMessageException naming what is wrong
   */
  static void check(String what, Class<?> type, byte[] payload) {
    SchemaField schema;
    try (JsonParser parser = WireMapper.MAPPER.createParser(payload)) {
      requireObject(what, parser.nextToken());
      schema = scanFields(parser);
      requireEnd(what, parser.nextToken());
    } catch (JsonProcessingException e) {
      throw JacksonErrors.translate(what, e);
    } catch (CharConversionException e) {
      throw JacksonErrors.encoding(what, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    checkSchema(type, schema);
  }

  /**
   * The schema field as found: its token (null when absent) and its text when a string. (A class,
   * not a record: no record of the protocol is left out of the native-image reflection config.)
   */
  private static final class SchemaField {
    private final JsonToken token;
    private final String text;

    SchemaField(JsonToken token, String text) {
      this.token = token;
      this.text = text;
    }

    JsonToken token() {
      return token;
    }

    String text() {
      return text;
    }
  }

  /** Reads the top-level fields up to the object's end, each value skipped but the schema's. */
  private static SchemaField scanFields(JsonParser parser) throws IOException {
    SchemaField schema = new SchemaField(null, null);
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (field.equals(SCHEMA_FIELD)) {
        schema = new SchemaField(value, value == JsonToken.VALUE_STRING ? parser.getText() : null);
      }
      parser.skipChildren();
    }
    return schema;
  }

  private static void requireObject(String what, JsonToken first) {
    if (first != JsonToken.START_OBJECT) {
      throw new MalformedMessageException(
          what
              + ": expected a JSON object, got "
              + (first == null ? "nothing" : JsonCodec.kind(first)));
    }
  }

  private static void requireEnd(String what, JsonToken trailing) {
    if (trailing != null) {
      throw new MalformedMessageException(
          what + ": malformed JSON: trailing " + JsonCodec.kind(trailing) + " after the object");
    }
  }

  private static void checkSchema(Class<?> type, SchemaField found) {
    Schema schema = type.getAnnotation(Schema.class);
    if (schema == null) {
      return;
    }
    String expected = schema.value();
    requireString(expected, found.token());
    if (!accepts(expected, found.text())) {
      throw new MalformedMessageException(
          String.format(
              "unsupported schema %s; this side reads %s and its minor versions",
              Fields.show(found.text()), expected));
    }
  }

  private static void requireString(String expected, JsonToken token) {
    if (token == null || token == JsonToken.VALUE_NULL) {
      throw new MalformedMessageException(expected + ": schema is missing");
    }
    if (token != JsonToken.VALUE_STRING) {
      throw new MalformedMessageException(
          expected + ": schema must be a string, got " + JsonCodec.kind(token).toLowerCase());
    }
  }

  private static boolean accepts(String expected, String given) {
    return given.equals(expected)
        || (given.startsWith(expected + ".")
            && given.substring(expected.length() + 1).matches("[0-9]{1,9}"));
  }
}
