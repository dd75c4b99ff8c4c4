package dev.ferry.hub.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/** What a device reports of one model, read from its stored reported state. */
final class ReportedModels {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportedModels() {}

  /**
   * The variant the device serves of a model's version.
   *
   * @param reported the device's reported state JSON, or null before it reported
   * @param model the model
   * @param version the version
   * @return the active version's variant when it is that version; null otherwise
   */
  static String variant(String reported, String model, String version) {
    return entry(reported, model)
        .map(entry -> entry.path("active"))
        .filter(active -> version.equals(active.path("version").asText()))
        .filter(active -> active.path("variant").isTextual())
        .map(active -> active.path("variant").asText())
        .orElse(null);
  }

  /**
   * Why the device does not serve a version it was sent yet, as it reports while it retries (the
   * registry unreachable, the disk full).
   *
   * @param reported the device's reported state JSON, or null before it reported
   * @param model the model
   * @param version the version it was sent
   * @return its reason while it reports that version desired and not active; null otherwise
   */
  static String waiting(String reported, String model, String version) {
    return entry(reported, model)
        .filter(entry -> version.equals(entry.path("desiredVersion").asText()))
        .filter(entry -> !version.equals(entry.path("active").path("version").asText()))
        .filter(entry -> entry.path("reason").isTextual())
        .map(entry -> entry.path("reason").asText())
        .orElse(null);
  }

  private static Optional<JsonNode> entry(String reported, String model) {
    if (reported == null) {
      return Optional.empty();
    }
    try {
      for (JsonNode entry : JSON.readTree(reported).path("models")) {
        if (model.equals(entry.path("name").asText())) {
          return Optional.of(entry);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      // the hub stored it after checking it; an unreadable one shows nothing
      return Optional.empty();
    }
  }
}
