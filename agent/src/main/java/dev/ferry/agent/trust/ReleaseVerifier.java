package dev.ferry.agent.trust;

import static dev.ferry.agent.failure.Reason.MANIFEST_MISMATCH;
import static dev.ferry.agent.failure.Reason.RELEASE_EXPIRED;
import static dev.ferry.agent.failure.Reason.RELEASE_ROLLBACK;
import static dev.ferry.agent.failure.Reason.UNTRUSTED_RELEASE;
import static dev.ferry.agent.failure.Reason.WRONG_MODEL;

import dev.ferry.agent.store.AcceptedState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.time.Instant;

/**
 * Checks one model assignment's release statement: release key, model, subject, releaseSeq, expiry.
 */
final class ReleaseVerifier {
  private final TrustRoot root;
  private final SignedPayloads signed;

  ReleaseVerifier(TrustRoot root, SignedPayloads signed) {
    this.root = root;
    this.signed = signed;
  }

  ReleaseStatement verify(ModelAssignment model, AcceptedState accepted, Instant now) {
    String what = "model " + Fields.show(model.name()) + " release statement";
    signed.requireType(model.release(), PayloadTypes.IN_TOTO, what);
    byte[] payload =
        signed.verify(root, Role.RELEASE, model.release(), UNTRUSTED_RELEASE, what + " is not");
    ReleaseStatement statement = signed.decode(payload, ReleaseStatement.class, what);
    checkModel(model, statement, what);
    checkSubject(model, statement);
    checkReleaseSeq(statement, accepted.installedReleaseSeq(model.name()), what);
    checkExpiry(statement, now, what);
    return statement;
  }

  private static void checkExpiry(ReleaseStatement statement, Instant now, String what) {
    ReleasePredicate predicate = statement.predicate();
    if (predicate.isExpiredAt(now)) {
      throw new RejectedDesiredStateException(
          RELEASE_EXPIRED,
          what
              + " of version "
              + Fields.show(predicate.version())
              + " expired at "
              + predicate.expiresAt()
              + ", now "
              + now
              + "; publish the model again");
    }
  }

  private static void checkModel(ModelAssignment model, ReleaseStatement statement, String what) {
    String about = statement.predicate().model();
    if (!about.equals(model.name())) {
      throw new RejectedDesiredStateException(
          WRONG_MODEL, what + " is for model " + Fields.show(about));
    }
  }

  private static void checkSubject(ModelAssignment model, ReleaseStatement statement) {
    if (!statement.manifestDigest().equals(model.manifestDigest())) {
      throw new RejectedDesiredStateException(
          MANIFEST_MISMATCH,
          "model "
              + Fields.show(model.name())
              + " manifestDigest "
              + model.manifestDigest()
              + " is not the release statement's subject "
              + statement.manifestDigest());
    }
  }

  private static void checkReleaseSeq(ReleaseStatement statement, long installed, String what) {
    long releaseSeq = statement.predicate().releaseSeq();
    if (releaseSeq < installed) {
      throw new RejectedDesiredStateException(
          RELEASE_ROLLBACK,
          what
              + " releaseSeq "
              + releaseSeq
              + " is lower than the installed "
              + installed
              + " (rollback)");
    }
  }
}
