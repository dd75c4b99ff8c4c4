package dev.ferry.protocol.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/** Reads a JSON value back into the text a {@code @JsonRawValue} field wrote. */
final class RawJson extends JsonDeserializer<String> {
  @Override
  public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    return context.readTree(parser).toString();
  }
}
