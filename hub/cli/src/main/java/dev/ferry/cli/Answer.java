package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.List;

/**
 * A successful answer of the hub: its JSON text as sent (what {@code --json} prints), decoded on
 * demand into the API's records ({@code dev.ferry.protocol.api}). Unknown fields are ignored, so a
 * newer hub's additions do not break an older {@code ferry}.
 *
 * @param body the JSON text; empty when the hub sent none
 */
record Answer(String body) {
  /** Reads and writes the API's JSON as the hub does. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  /** The answer as one record. */
  <T> T as(Class<T> type) {
    return decode(body, JSON.constructType(type));
  }

  /** The answer as a list of records. */
  <T> List<T> listOf(Class<T> type) {
    return decode(body, JSON.getTypeFactory().constructCollectionType(List.class, type));
  }

  /** The answer as a JSON tree. */
  JsonNode tree() {
    return decode(body, JSON.constructType(JsonNode.class));
  }

  /** JSON text that the hub relayed (a device's report, say) as a record. */
  static <T> T decode(String json, Class<T> type) {
    return decode(json, JSON.constructType(type));
  }

  private static <T> T decode(String json, JavaType type) {
    try {
      return JSON.readValue(json.isEmpty() ? "null" : json, type);
    } catch (JsonProcessingException e) {
      throw new HubException(
          Ferry.UNAVAILABLE,
          "the hub's answer does not read as " + name(type) + ": " + e.getOriginalMessage());
    }
  }

  private static String name(JavaType type) {
    return type.isCollectionLikeType()
        ? "a list of " + type.getContentType().getRawClass().getSimpleName()
        : type.getRawClass().getSimpleName();
  }
}
