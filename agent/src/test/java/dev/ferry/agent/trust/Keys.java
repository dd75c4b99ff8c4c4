package dev.ferry.agent.trust;

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
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.TestHub;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

/** Test keys, a trust root and signed desired states and release statements. */
public final class Keys {
  public static final JsonCodec CODEC = new JsonCodec();
  public static final String REPOSITORY = "registry.example:5000/models/resnet";
  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  public final KeyPair rootKey = Ed25519.generate();
  public final KeyPair releaseKey = Ed25519.generate();
  public final KeyPair hubKey = Ed25519.generate();
  public final Signer root = new Signer(rootKey);
  public final Signer release = new Signer(releaseKey);
  public final Signer hub = new Signer(hubKey);
  public final TrustRoot trustRoot = trustRoot(1, rootKey);

  public TrustRoot trustRoot(int version, KeyPair rootKeyPair) {
    return trustRoot(version, rootKeyPair, hubKey);
  }

  public TrustRoot trustRoot(int version, KeyPair rootKeyPair, KeyPair hubKeyPair) {
    return TestHub.trustRoot(version, rootKeyPair, releaseKey, hubKeyPair);
  }

  /** The root as the hub serves it: signed by its own root key. */
  public byte[] signedRootJson() {
    return CODEC.encode(root.sign(PayloadTypes.ROOT, CODEC.encode(trustRoot)));
  }

  public static Digest digest(String seed) {
    return Digest.of(seed.getBytes(StandardCharsets.UTF_8));
  }

  public static ReleaseStatement statement(String model, Digest manifest, long releaseSeq) {
    return ReleaseStatement.of(
        REPOSITORY,
        manifest,
        new ReleasePredicate(
            model, "1.0." + releaseSeq, releaseSeq, NOW, digest("serving"), digest("golden")));
  }

  public Envelope release(String model, Digest manifest, long releaseSeq) {
    return release.sign(PayloadTypes.IN_TOTO, CODEC.encode(statement(model, manifest, releaseSeq)));
  }

  public ModelAssignment assignment(String model, long releaseSeq) {
    Digest manifest = digest(model + releaseSeq);
    return new ModelAssignment(model, REPOSITORY, manifest, release(model, manifest, releaseSeq));
  }

  public static DesiredState desired(String deviceId, long sequence, ModelAssignment... models) {
    return new DesiredState(
        deviceId, sequence, NOW.minusSeconds(60), NOW.plusSeconds(3600), List.of(models));
  }

  public byte[] signedByHub(DesiredState state) {
    return CODEC.encode(hub.sign(PayloadTypes.DESIRED, CODEC.encode(state)));
  }
}
