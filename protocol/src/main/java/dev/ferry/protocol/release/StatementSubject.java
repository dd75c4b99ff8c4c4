package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import java.util.Map;

/**
 * An in-toto resource descriptor naming what a statement is about.
 *
 * @param name the artifact's repository
 * @param digest algorithm to hex digest; Ferry requires {@code sha256}
 */
public record StatementSubject(String name, Map<String, String> digest) {
  /** Checks that a sha256 digest is present and well formed. */
  public StatementSubject {
    Fields.text(name, "name");
    digest = Fields.map(Fields.required(digest, "digest"), "digest");
    String sha256 = digest.get("sha256");
    if (sha256 == null) {
      throw new FieldException("digest.sha256", "is missing");
    }
    try {
      new Digest(sha256);
    } catch (IllegalArgumentException e) {
      throw new FieldException(
          "digest.sha256", "must be 64 lowercase hex, got " + Fields.show(sha256));
    }
  }

  /**
   * The subject for an artifact.
   *
   * @param name the repository
   * @param digest the manifest digest
   * @return the subject
   */
  public static StatementSubject of(String name, Digest digest) {
    return new StatementSubject(name, Map.of("sha256", digest.hex()));
  }

  /** The sha256 digest. */
  public Digest sha256() {
    return new Digest(digest.get("sha256"));
  }
}
