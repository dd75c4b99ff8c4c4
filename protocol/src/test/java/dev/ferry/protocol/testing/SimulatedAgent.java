package dev.ferry.protocol.testing;

import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent's side of the wire for devices simulated without ONNX Runtime or a registry (the hub's
 * {@code FakeDevice}, the integration tests' {@code FleetSimulator}): desired states and release
 * statements verified against the trust root as an agent verifies them, and the reports it sends.
 */
public final class SimulatedAgent {
  /** The execution provider simulated devices claim. */
  public static final String PROVIDER = "CPU";

  private static final JsonCodec CODEC = new JsonCodec();

  private SimulatedAgent() {}

  /**
   * Verifies a desired-state message: a DSSE envelope signed by the hub role.
   *
   * @param root the trust root
   * @param payload the message from the device's desired topic
   * @return the desired state
   */
  public static DesiredState verify(TrustRoot root, byte[] payload) {
    Envelope envelope = CODEC.decode(payload, Envelope.class);
    return CODEC.decode(
        root.verifier(Role.HUB).verify(envelope, PayloadTypes.DESIRED), DesiredState.class);
  }

  /**
   * The release statement of an assignment, verified: signed by the release role.
   *
   * @param root the trust root
   * @param assignment the assignment
   * @return the statement
   */
  public static ReleaseStatement release(TrustRoot root, ModelAssignment assignment) {
    return CODEC.decode(
        root.verifier(Role.RELEASE).verify(assignment.release(), PayloadTypes.IN_TOTO),
        ReleaseStatement.class);
  }

  /**
   * The release statement of a model in a desired state, verified.
   *
   * @param root the trust root
   * @param state the desired state
   * @param model the model it assigns
   * @return the statement
   */
  public static ReleaseStatement release(TrustRoot root, DesiredState state, String model) {
    ModelAssignment assignment =
        state.models().stream().filter(m -> m.name().equals(model)).findFirst().orElseThrow();
    return release(root, assignment);
  }

  /** The version an agent reports once it has installed a release. */
  public static VersionInfo installed(ReleaseStatement release) {
    return new VersionInfo(
        release.predicate().version(),
        release.manifestDigest(),
        release.predicate().releaseSeq(),
        PROVIDER);
  }

  /**
   * A reported state, made now, as an agent publishes it on every change.
   *
   * @param deviceId the device
   * @param desiredSequence the desired state it acted on, 0 before any
   * @param agentVersion the agent's version
   * @param labels the device's labels
   * @param models how each model stands
   * @return the reported state
   */
  public static ReportedState reported(
      String deviceId,
      long desiredSequence,
      String agentVersion,
      Map<String, String> labels,
      List<ModelReport> models) {
    return new ReportedState(
        deviceId,
        Instant.now(),
        desiredSequence,
        agentVersion,
        labels,
        List.of(PROVIDER),
        models,
        1,
        null,
        null,
        null);
  }
}
