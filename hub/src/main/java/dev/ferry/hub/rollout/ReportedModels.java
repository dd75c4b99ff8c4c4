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
    return variant(entry(reported, model), version);
  }

  /** The variant the device serves of a version, from its report of the model ({@link #entry}). */
  static String variant(Optional<JsonNode> reported, String version) {
    return reported
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
    return waiting(entry(reported, model), version);
  }

  /** Why the device does not serve a version yet, from its report of the model ({@link #entry}). */
  static String waiting(Optional<JsonNode> reported, String version) {
    return reported
        .filter(entry -> version.equals(entry.path("desiredVersion").asText()))
        .filter(entry -> !version.equals(entry.path("active").path("version").asText()))
        .filter(entry -> entry.path("reason").isTextual())
        .map(entry -> entry.path("reason").asText())
        .orElse(null);
  }

  /**
   * The device's report of one model, parsed once for the questions above.
   *
   * @param reported the device's reported state JSON, or null before it reported
   * @param model the model
   * @return its entry; empty when it reports none, or nothing readable
   */
  static Optional<JsonNode> entry(String reported, String model) {
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
