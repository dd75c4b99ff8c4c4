package dev.ferry.protocol.json;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;

/**
 * Reads a {@code byte[]} field from base64 text (RFC 4648, with padding) and nothing else: decoded
 * from the payload's bytes straight into the array, never held as a string. (Jackson's own reader
 * would also take an array of numbers.)
 */
final class Base64Bytes extends StdDeserializer<byte[]> {
  private static final long serialVersionUID = 1L;

  Base64Bytes() {
    super(byte[].class);
  }

  @Override
  public byte[] deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      return (byte[]) context.handleUnexpectedToken(byte[].class, parser);
    }
    try {
      return parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
    } catch (StreamReadException e) {
      throw JsonMappingException.from(parser, "not base64: " + e.getOriginalMessage(), e);
    }
  }
}
