package dev.ferry.hub.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The variant of a release a device reports serving, read from its stored reported state. */
final class ServedVariant {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ServedVariant() {}

  /**
   * The variant the device serves of a model's version.
   *
   * @param reported the device's reported state JSON, or null before it reported
   * @param model the model
   * @param version the version
   * @return the active version's variant when it is that version; null otherwise
   */
  static String of(String reported, String model, String version) {
    if (reported == null) {
      return null;
    }
    try {
      for (JsonNode entry : JSON.readTree(reported).path("models")) {
        JsonNode active = entry.path("active");
        if (model.equals(entry.path("name").asText())
            && version.equals(active.path("version").asText())) {
          return active.path("variant").isTextual() ? active.path("variant").asText() : null;
        }
      }
      return null;
    } catch (IOException e) {
      // the hub stored it after checking it; an unreadable one shows no variant
      return null;
    }
  }
}
