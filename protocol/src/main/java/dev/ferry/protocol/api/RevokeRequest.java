package dev.ferry.protocol.api;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.RevokedRelease;

/**
 * The body of {@code POST /api/v1/models/{name}/versions/{version}/revoke}.
 *
 * @param reason why the release is withdrawn; required, at most {@value RevokedRelease#MAX_REASON}
 *     characters, shown to operators and reported by devices
 */
public record RevokeRequest(String reason) {
  /** Checks the reason. */
  public RevokeRequest {
    if (Fields.text(reason, "reason").length() > RevokedRelease.MAX_REASON) {
      throw new FieldException(
          "reason",
          "must be at most " + RevokedRelease.MAX_REASON + " characters, got " + reason.length());
    }
  }
}
