package dev.ferry.protocol.signing;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.HashSet;
import java.util.List;

/**
 * The keys of one role and how many of them must sign.
 *
 * @param keyids the ids of the role's keys, each listed once
 * @param threshold how many distinct keys must sign, between 1 and the number of keys
 */
public record RoleKeys(List<String> keyids, @JsonProperty(required = true) int threshold) {
  /** Checks the threshold and that no key is listed twice. */
  public RoleKeys {
    keyids = Fields.nonEmptyList(keyids, "keyids");
    if (new HashSet<>(keyids).size() != keyids.size()) {
      throw new FieldException("keyids", "must not list a key twice, got " + keyids);
    }
    if (threshold < 1 || threshold > keyids.size()) {
      throw new FieldException(
          "threshold", "must be between 1 and " + keyids.size() + ", got " + threshold);
    }
  }
}
