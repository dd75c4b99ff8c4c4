package dev.ferry.protocol.release;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.oci.Digest;
import java.util.List;

/**
 * The release statement: an in-toto Statement v1 whose subject is the model manifest and whose
 * predicate is a {@link ReleasePredicate}. Signed by the release role as a DSSE envelope of type
 * {@link dev.ferry.protocol.signing.PayloadTypes#IN_TOTO}.
 *
 * @param type always {@value #TYPE} (JSON {@code _type})
 * @param subject exactly one subject: the model manifest
 * @param predicateType always {@value #PREDICATE_TYPE}
 * @param predicate the release facts
 */
@MaxBytes(1 << 20)
public record ReleaseStatement(
    @JsonProperty("_type") String type,
    List<StatementSubject> subject,
    String predicateType,
    ReleasePredicate predicate) {

  /** The in-toto Statement v1 type. */
  public static final String TYPE = "https://in-toto.io/Statement/v1";

  /** Ferry's release predicate type. */
  public static final String PREDICATE_TYPE = "https://ferry.dev/release/v1";

  /** Checks the statement and predicate types and that there is one subject. */
  public ReleaseStatement {
    if (!TYPE.equals(type)) {
      throw new FieldException("_type", "must be '" + TYPE + "', got " + Fields.show(type));
    }
    subject = Fields.nonEmptyList(subject, "subject");
    if (subject.size() != 1) {
      throw new FieldException("subject", "must name exactly one artifact, got " + subject.size());
    }
    if (!PREDICATE_TYPE.equals(predicateType)) {
      throw new FieldException(
          "predicateType", "must be '" + PREDICATE_TYPE + "', got " + Fields.show(predicateType));
    }
    Fields.required(predicate, "predicate");
  }

  /**
   * A statement about one model manifest.
   *
   * @param repository the artifact's repository
   * @param manifestDigest the model manifest's digest
   * @param predicate the release facts
   * @return the statement
   */
  public static ReleaseStatement of(
      String repository, Digest manifestDigest, ReleasePredicate predicate) {
    return new ReleaseStatement(
        TYPE, List.of(StatementSubject.of(repository, manifestDigest)), PREDICATE_TYPE, predicate);
  }

  /** The digest of the model manifest this statement is about. */
  public Digest manifestDigest() {
    return subject.get(0).sha256();
  }
}
