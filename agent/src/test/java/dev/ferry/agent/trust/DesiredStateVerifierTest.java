package dev.ferry.agent.trust;

import static dev.ferry.protocol.testing.TestHub.CODEC;
import static dev.ferry.protocol.testing.TestHub.NOW;
import static dev.ferry.protocol.testing.TestHub.desiredState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.store.AcceptedState;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.testing.TestHub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DesiredStateVerifierTest {
  private static final String DEVICE = "edge-1";

  private final TestHub keys = new TestHub();
  private final DesiredStateVerifier verifier =
      new DesiredStateVerifier(() -> keys.trustRoot(), CODEC);

  @Test
  void verify_acceptsASignedStateWithItsReleaseStatements() {
    ModelAssignment resnet = keys.assign("resnet", 3);
    DesiredState state = desiredState(DEVICE, 5, resnet);
    byte[] payload = keys.desired(state);

    VerifiedDesired verified = verifier.verify(payload, DEVICE, AcceptedState.initial(), NOW);

    assertEquals(state, verified.state());
    assertEquals(
        Map.of("resnet", TestHub.statement("resnet", resnet.manifestDigest(), 3)),
        verified.statements());
    assertEquals(Digest.of(CODEC.encode(state)), verified.payloadDigest());
  }

  @Test
  void verify_acceptsTheSameReleaseSeqAsInstalled() {
    AcceptedState accepted = AcceptedState.initial().installed("resnet", 3);
    byte[] payload = keys.desired(desiredState(DEVICE, 5, keys.assign("resnet", 3)));
    assertEquals(1, verifier.verify(payload, DEVICE, accepted, NOW).statements().size());
  }

  @Test
  void verify_rejectsAnEnvelopeThatIsNotJson() {
    byte[] payload = "[1]".getBytes(StandardCharsets.UTF_8);
    assertRejected(
        Reason.MALFORMED,
        "desired state envelope is malformed: Envelope: expected a JSON object, got ARRAY",
        payload,
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAnOversizedPayloadBeforeParsing() {
    byte[] signed = keys.desired(desiredState(DEVICE, 5));
    byte[] payload = Arrays.copyOf(signed, JsonCodec.maxBytes(Envelope.class) + 1);
    Arrays.fill(payload, signed.length, payload.length, (byte) ' ');
    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () -> verifier.verify(payload, DEVICE, AcceptedState.initial(), NOW));
    assertEquals(Reason.MALFORMED, error.reason());
    assertEquals(
        "desired state envelope is malformed: Envelope: payload of "
            + payload.length
            + " bytes exceeds the limit of 1048576",
        error.getMessage());
  }

  @Test
  void verify_rejectsASignedPayloadThatIsNotADesiredState() {
    byte[] payload = CODEC.encode(keys.hub.sign(PayloadTypes.DESIRED, "{}".getBytes()));
    assertRejected(
        Reason.MALFORMED,
        "desired state is malformed: ferry.desired/v1: schema is missing",
        payload,
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAnotherPayloadType() {
    byte[] state = CODEC.encode(desiredState(DEVICE, 5));
    byte[] payload = CODEC.encode(keys.hub.sign(PayloadTypes.IN_TOTO, state));
    assertRejected(
        Reason.WRONG_PAYLOAD_TYPE,
        "desired state payloadType must be 'application/vnd.ferry.desired+json', got"
            + " 'application/vnd.in-toto+json'",
        payload,
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAnUnknownKey() {
    Signer stranger = new Signer(Ed25519.generate());
    byte[] state = CODEC.encode(desiredState(DEVICE, 5));
    byte[] payload = CODEC.encode(stranger.sign(PayloadTypes.DESIRED, state));
    assertRejected(
        Reason.UNTRUSTED_SIGNATURE,
        "desired state is not signed by the hub role: hub envelope: 0 of 1 required signatures"
            + " verified (unknown key ids ["
            + stranger.keyId().substring(0, 12)
            + "], bad signatures from [])",
        payload,
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsABadSignature() {
    Envelope signed = keys.hub.sign(PayloadTypes.DESIRED, CODEC.encode(desiredState(DEVICE, 5)));
    Envelope tampered =
        new Envelope(
            signed.payloadType(),
            java.util.Base64.getEncoder().encodeToString(CODEC.encode(desiredState(DEVICE, 6))),
            signed.signatures());
    assertRejected(
        Reason.UNTRUSTED_SIGNATURE,
        "desired state is not signed by the hub role: hub envelope: 0 of 1 required signatures"
            + " verified (unknown key ids [], bad signatures from ["
            + keys.hub.keyId().substring(0, 12)
            + "])",
        CODEC.encode(tampered),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsADesiredStateSignedByTheReleaseKey() {
    byte[] state = CODEC.encode(desiredState(DEVICE, 5));
    byte[] payload = CODEC.encode(keys.release.sign(PayloadTypes.DESIRED, state));
    assertRejected(
        Reason.UNTRUSTED_SIGNATURE,
        "desired state is not signed by the hub role but by a release key (role confusion): hub"
            + " envelope: 0 of 1 required signatures verified (unknown key ids ["
            + keys.release.keyId().substring(0, 12)
            + "], bad signatures from [])",
        payload,
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAStateForAnotherDevice() {
    assertRejected(
        Reason.WRONG_DEVICE,
        "desired state is for device 'edge-2', this device is 'edge-1'",
        keys.desired(desiredState("edge-2", 5)),
        AcceptedState.initial());
  }

  @Test
  void verify_reportsTheAcceptedStateDeliveredAgainAsADuplicate() {
    byte[] payload = keys.desired(desiredState(DEVICE, 9, keys.assign("resnet", 1)));
    AcceptedState accepted =
        verifier
            .verify(payload, DEVICE, AcceptedState.initial(), NOW)
            .acceptedFrom(AcceptedState.initial());
    assertRejected(
        Reason.DUPLICATE,
        "desired sequence 9 is the accepted one, delivered again",
        payload,
        accepted);
  }

  @Test
  void verify_rejectsALowerSequence() {
    AcceptedState accepted = new AcceptedState(9, TestHub.digest("nine"), Map.of());
    assertRejected(
        Reason.REPLAYED_SEQUENCE,
        "desired sequence 7 is not above the accepted 9 (replay)",
        keys.desired(desiredState(DEVICE, 7)),
        accepted);
  }

  @Test
  void verify_rejectsTheAcceptedSequenceWithOtherContent() {
    AcceptedState accepted = new AcceptedState(9, TestHub.digest("nine"), Map.of());
    assertRejected(
        Reason.REPLAYED_SEQUENCE,
        "desired sequence 9 is not above the accepted 9 (replay)",
        keys.desired(desiredState(DEVICE, 9)),
        accepted);
  }

  @Test
  void verify_rejectsAnExpiredState() {
    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () ->
                verifier.verify(
                    keys.desired(desiredState(DEVICE, 5)),
                    DEVICE,
                    AcceptedState.initial(),
                    NOW.plusSeconds(3600)));
    assertEquals(Reason.EXPIRED, error.reason());
    assertEquals(
        "desired sequence 5 expired at 2026-03-01T13:00:00Z, now 2026-03-01T13:00:00Z (freeze)",
        error.getMessage());
  }

  @Test
  void verify_rejectsAReleaseSignedByTheHubKey() {
    Digest manifest = TestHub.digest("resnet");
    Envelope byHub =
        keys.hub.sign(PayloadTypes.IN_TOTO, CODEC.encode(TestHub.statement("resnet", manifest, 1)));
    var assignment = new ModelAssignment("resnet", TestHub.REPOSITORY, manifest, byHub);
    assertRejected(
        Reason.UNTRUSTED_RELEASE,
        "model 'resnet' release statement is not signed by the release role but by a hub key"
            + " (role confusion): release envelope: 0 of 1 required signatures verified (unknown"
            + " key ids ["
            + keys.hub.keyId().substring(0, 12)
            + "], bad signatures from [])",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAReleaseSignedByAnUnknownKey() {
    Digest manifest = TestHub.digest("resnet");
    Signer stranger = new Signer(Ed25519.generate());
    Envelope release =
        stranger.sign(PayloadTypes.IN_TOTO, CODEC.encode(TestHub.statement("resnet", manifest, 1)));
    var assignment = new ModelAssignment("resnet", TestHub.REPOSITORY, manifest, release);
    assertRejected(
        Reason.UNTRUSTED_RELEASE,
        "model 'resnet' release statement is not signed by the release role: release envelope: 0"
            + " of 1 required signatures verified (unknown key ids ["
            + stranger.keyId().substring(0, 12)
            + "], bad signatures from [])",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAReleaseOfAnotherPayloadType() {
    Digest manifest = TestHub.digest("resnet");
    Envelope release =
        keys.release.sign(
            PayloadTypes.DESIRED, CODEC.encode(TestHub.statement("resnet", manifest, 1)));
    var assignment = new ModelAssignment("resnet", TestHub.REPOSITORY, manifest, release);
    assertRejected(
        Reason.WRONG_PAYLOAD_TYPE,
        "model 'resnet' release statement payloadType must be 'application/vnd.in-toto+json', got"
            + " 'application/vnd.ferry.desired+json'",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAMalformedReleaseStatement() {
    Envelope release = keys.release.sign(PayloadTypes.IN_TOTO, "{\"_type\":\"x\"}".getBytes());
    var assignment =
        new ModelAssignment("resnet", TestHub.REPOSITORY, TestHub.digest("resnet"), release);
    assertRejected(
        Reason.MALFORMED,
        "model 'resnet' release statement is malformed: ReleaseStatement: _type must be"
            + " 'https://in-toto.io/Statement/v1', got 'x'",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAStatementForAnotherModel() {
    Digest manifest = TestHub.digest("bert");
    var assignment =
        new ModelAssignment(
            "resnet", TestHub.REPOSITORY, manifest, keys.signedRelease("bert", manifest, 1));
    assertRejected(
        Reason.WRONG_MODEL,
        "model 'resnet' release statement is for model 'bert'",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsAManifestDigestThatIsNotTheSubject() {
    Digest signed = TestHub.digest("signed");
    Digest other = TestHub.digest("other");
    var assignment =
        new ModelAssignment(
            "resnet", TestHub.REPOSITORY, other, keys.signedRelease("resnet", signed, 1));
    assertRejected(
        Reason.MANIFEST_MISMATCH,
        "model 'resnet' manifestDigest "
            + other
            + " is not the release statement's subject "
            + signed,
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_rejectsALowerReleaseSeqThanInstalled() {
    AcceptedState accepted = AcceptedState.initial().installed("resnet", 5);
    assertRejected(
        Reason.RELEASE_ROLLBACK,
        "model 'resnet' release statement releaseSeq 4 is lower than the installed 5 (rollback)",
        keys.desired(desiredState(DEVICE, 5, keys.assign("resnet", 4))),
        accepted);
  }

  @Test
  void verify_rejectsAnExpiredReleaseStatement() {
    Digest manifest = TestHub.digest("resnet3");
    ModelAssignment assignment =
        new ModelAssignment("resnet", TestHub.REPOSITORY, manifest, expiring(manifest, NOW));
    assertRejected(
        Reason.RELEASE_EXPIRED,
        "model 'resnet' release statement of version '1.0.3' expired at "
            + NOW
            + ", now "
            + NOW
            + "; publish the model again",
        keys.desired(desiredState(DEVICE, 5, assignment)),
        AcceptedState.initial());
  }

  @Test
  void verify_acceptsAReleaseStatementBeforeItExpires() {
    Digest manifest = TestHub.digest("resnet3");
    Envelope release = expiring(manifest, NOW.plusSeconds(1));
    ModelAssignment assignment =
        new ModelAssignment("resnet", TestHub.REPOSITORY, manifest, release);
    byte[] payload = keys.desired(desiredState(DEVICE, 5, assignment));
    assertEquals(
        1, verifier.verify(payload, DEVICE, AcceptedState.initial(), NOW).statements().size());
  }

  @Test
  void verify_acceptsAReleaseStatementWithoutExpiryForEver() {
    Instant muchLater = NOW.plus(Duration.ofDays(3650));
    DesiredState state =
        new DesiredState(
            DEVICE,
            5,
            muchLater.minusSeconds(60),
            muchLater.plusSeconds(60),
            List.of(keys.assign("resnet", 3)));
    var verified = verifier.verify(keys.desired(state), DEVICE, AcceptedState.initial(), muchLater);
    assertNull(verified.statements().get("resnet").predicate().expiresAt());
  }

  /** A release statement of resnet 1.0.3 made an hour before NOW that expires at {@code at}. */
  private Envelope expiring(Digest manifest, Instant at) {
    var predicate =
        new ReleasePredicate(
            "resnet",
            "1.0.3",
            3,
            NOW.minusSeconds(3600),
            TestHub.digest("serving"),
            TestHub.digest("golden"),
            at);
    return keys.release.sign(
        PayloadTypes.IN_TOTO,
        CODEC.encode(ReleaseStatement.of(TestHub.REPOSITORY, manifest, predicate)));
  }

  private void assertRejected(
      Reason reason, String message, byte[] payload, AcceptedState accepted) {
    var error =
        assertThrows(
            RejectedDesiredStateException.class,
            () -> verifier.verify(payload, DEVICE, accepted, NOW));
    assertEquals(message, error.getMessage());
    assertEquals(reason, error.reason());
  }
}
