package dev.ferry.hub.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.broker.Enrolled;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.SimulatedAgent;
import dev.ferry.protocol.testing.TelemetryBatches;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * A device in the hub's tests, enrolled and connected over mutual TLS: reports itself with labels
 * over the hub's MQTT broker, collects the desired states it receives, and reports what an agent
 * would after installing them (the agent's side of the wire is {@link SimulatedAgent}, shared with
 * the integration tests' fleet simulator).
 */
final class FakeDevice implements AutoCloseable {
  static final JsonCodec CODEC = new JsonCodec();
  private static final String AGENT_VERSION = "0.1.0";

  final String id = "dev-" + System.nanoTime();
  final BlockingQueue<byte[]> desired = new LinkedBlockingQueue<>();
  private final Map<String, String> labels;
  private final Enrolled enrolled = Enrolled.device(id);
  private final MqttClient client;
  private long telemetrySeq;

  FakeDevice(Map<String, String> labels) throws Exception {
    this.labels = labels;
    client = connect();
    report(SimulatedAgent.reported(id, 0, AGENT_VERSION, labels, List.of()));
  }

  /**
   * Connects and subscribes, trying again as an agent would when the connection drops in between
   * (the embedded broker was seen closing a new connection once, before its SUBSCRIBE arrived).
   */
  private MqttClient connect() throws MqttException {
    for (int attempt = 1; ; attempt++) {
      MqttClient candidate = enrolled.client();
      try {
        candidate.connect(enrolled.options());
        candidate.subscribe(
            new String[] {new Topic(id, Channel.DESIRED).toString()},
            new int[] {1},
            new IMqttMessageListener[] {(topic, message) -> desired.add(message.getPayload())});
        return candidate;
      } catch (MqttException e) {
        candidate.close(true);
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** HTTP Basic credentials as the agent sends them to the hub: {@code <id>:<MQTT password>}. */
  String basic() {
    String pair = id + ":" + enrolled.password();
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The next desired state, verified against the trust root; fails after 10 s without one. */
  DesiredState next(TrustRoot root) throws InterruptedException {
    byte[] payload = desired.poll(10, TimeUnit.SECONDS);
    assertTrue(payload != null, "no desired state for " + id);
    return SimulatedAgent.verify(root, payload);
  }

  /** The release statement of a model in a desired state, verified. */
  static ReleaseStatement release(TrustRoot root, DesiredState state, String model) {
    return SimulatedAgent.release(root, state, model);
  }

  /**
   * Reports how a model of a desired state went, as an agent would.
   *
   * @param state the desired state it acted on
   * @param model the model
   * @param status ACTIVE, FAILED or ROLLED_BACK
   * @param reason the reason of a failure, or null
   */
  void reportOutcome(
      TrustRoot root, DesiredState state, String model, ModelStatus status, String reason)
      throws Exception {
    ReleaseStatement release = release(root, state, model);
    VersionInfo installed = SimulatedAgent.installed(release);
    ModelReport report =
        new ModelReport(
            model,
            status,
            installed.version(),
            status == ModelStatus.ACTIVE ? installed : null,
            null,
            reason);
    report(SimulatedAgent.reported(id, state.sequence(), AGENT_VERSION, labels, List.of(report)));
  }

  /**
   * Sends one telemetry batch: what a model version served in the last second.
   *
   * @param model the model
   * @param version the version that served
   * @param requests requests served
   * @param errors of which failed
   */
  void sendTelemetry(String model, String version, long requests, long errors) throws Exception {
    sendTelemetry(model, version, null, requests, errors);
  }

  /** Telemetry of a release variant; null for a release of one model file. */
  void sendTelemetry(String model, String version, String variant, long requests, long errors)
      throws Exception {
    TelemetryBatch batch =
        TelemetryBatches.of(id, ++telemetrySeq, model, version, requests, errors, null);
    if (variant != null) {
      batch = TelemetryBatches.served(batch, variant);
    }
    client.publish(new Topic(id, Channel.TELEMETRY).toString(), CODEC.encode(batch), 1, false);
  }

  private void report(ReportedState state) throws Exception {
    client.publish(new Topic(id, Channel.REPORTED).toString(), CODEC.encode(state), 1, true);
  }

  /**
   * Says it is online, as an agent does once connected, or offline, as its last will does when its
   * connection is lost.
   */
  void presence(boolean online) throws Exception {
    Presence presence = new Presence(id, online, java.time.Instant.now(), AGENT_VERSION);
    client.publish(new Topic(id, Channel.ONLINE).toString(), CODEC.encode(presence), 1, true);
  }

  /** Disconnects, unless the broker already did (a revoked device). */
  @Override
  public void close() throws Exception {
    if (client.isConnected()) {
      client.disconnect();
    }
    client.close();
  }
}
