package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import java.time.Instant;

/**
 * One release on the revocation list: no agent installs it again, and one serving it falls back.
 *
 * @param model the model name
 * @param version the withdrawn version
 * @param digest the withdrawn model manifest's digest; every reissue of the version shares it
 * @param revokedAt when the release manager withdrew it
 * @param reason why, in the release manager's words (at most {@value #MAX_REASON} characters)
 */
public record RevokedRelease(
    String model, String version, Digest digest, Instant revokedAt, String reason) {
  /** The longest reason accepted. */
  public static final int MAX_REASON = 500;

  /** Checks the fields. */
  public RevokedRelease {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    Fields.required(digest, "digest");
    Fields.required(revokedAt, "revokedAt");
    if (Fields.text(reason, "reason").length() > MAX_REASON) {
      throw new FieldException(
          "reason", "must be at most " + MAX_REASON + " characters, got " + reason.length());
    }
  }

  /** {@code model@version}, as an agent reports what it refused or withdrew. */
  public String id() {
    return model + "@" + version;
  }
}
