package dev.ferry.protocol.device;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ModelNames;
import dev.ferry.protocol.signing.Envelope;

/**
 * One model a device must serve.
 *
 * @param name the model name
 * @param repository where the artifact lives, {@code host[:port]/path}
 * @param manifestDigest the model manifest's digest; must equal the release statement's subject
 * @param release the release statement, a DSSE envelope signed by the release role
 * @param capture what the device may capture of the model's traffic; null (absent in every state
 *     signed before capture existed) for nothing
 */
public record ModelAssignment(
    String name,
    String repository,
    Digest manifestDigest,
    Envelope release,
    CapturePolicy capture) {
  /** Checks the fields. */
  public ModelAssignment {
    ModelNames.requireName(name, "name");
    Fields.matching(repository, Repositories.PATTERN, "repository");
    Fields.required(manifestDigest, "manifestDigest");
    Fields.required(release, "release");
  }

  /**
   * An assignment without capture.
   *
   * @param name the model name
   * @param repository where the artifact lives
   * @param manifestDigest the model manifest's digest
   * @param release the release statement
   */
  public ModelAssignment(String name, String repository, Digest manifestDigest, Envelope release) {
    this(name, repository, manifestDigest, release, null);
  }
}
