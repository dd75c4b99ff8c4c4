package dev.ferry.it.sim;

import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.TelemetryBatches;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many simulated devices in one process: lightweight Vert.x MQTT clients on two event loops (no
 * thread per device), each sending a real {@code ferry.telemetry/v1} batch at QoS 1 once per period
 * with its own increasing {@code seq}. Counts what it sent and what the broker acknowledged. The
 * rollout and benchmark issues reuse it.
 */
public final class FleetSimulator implements AutoCloseable {
  private static final JsonCodec CODEC = new JsonCodec();

  // one INFO line per connection from Vert.x's MQTT client drowns the output of 10,000 devices;
  // held in a field, since JUL keeps its loggers weakly and would forget the level
  private static final java.util.logging.Logger VERTX_MQTT_LOG = quiet("io.vertx.mqtt");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private final Vertx vertx =
      Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
  private final String host;
  private final int port;
  private final String prefix;
  private final List<Device> devices = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param host the broker's host
   * @param port the broker's port
   * @param prefix device ids are {@code <prefix>-<n>}
   */
  public FleetSimulator(String host, int port, String prefix) {
    this.host = host;
    this.port = port;
    this.prefix = prefix;
  }

  private final class Device {
    final String id;
    final MqttClient client;
    long seq;
    long timer = -1;

    Device(String id) {
      this.id = id;
      this.client =
          MqttClient.create(
              vertx,
              new MqttClientOptions()
                  .setClientId(id)
                  .setCleanSession(true)
                  .setMaxInflightQueue(64)
                  .setKeepAliveInterval(60)
                  .setAutoKeepAlive(true));
      client.publishCompletionHandler(packetId -> acked.incrementAndGet());
    }

    void send(String model, String version) {
      long requests = 10;
      TelemetryBatch batch =
          TelemetryBatches.of(
              id,
              ++seq,
              model,
              version,
              requests,
              0,
              new DeviceMetrics(0.2, 150L << 20, 10L << 30, List.of()));
      if (client.isConnected()) {
        // a publish the client refuses (its in-flight window is full) is a batch not sent
        client
            .publish(
                "ferry/v1/devices/" + id + "/telemetry",
                Buffer.buffer(CODEC.encode(batch)),
                MqttQoS.AT_LEAST_ONCE,
                false,
                false)
            .onSuccess(
                packetId -> {
                  sent.incrementAndGet();
                  requestsSent.addAndGet(requests);
                })
            .onFailure(e -> refused.incrementAndGet());
      }
    }
  }

  /**
   * Connects more devices, 200 at a time, numbered on from those already connected (a device id
   * used twice would reuse its {@code seq} numbers and take over the other's connection).
   *
   * @param count how many more
   */
  public void connect(int count) throws Exception {
    int first = devices.size();
    int end = first + count;
    for (int i = first; i < end; i += 200) {
      List<Future<?>> connecting = new ArrayList<>();
      for (int j = i; j < Math.min(end, i + 200); j++) {
        Device device = new Device(prefix + "-" + j);
        devices.add(device);
        connecting.add(device.client.connect(port, host));
      }
      Future.all(connecting).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  /**
   * Each device sends one batch per period, spread evenly over it, until {@link #stop()}.
   *
   * @param period the period
   * @param model the model the batches count requests of
   * @param version its version
   */
  public void start(Duration period, String model, String version) {
    long millis = period.toMillis();
    for (int i = 0; i < devices.size(); i++) {
      Device device = devices.get(i);
      long offset = 1 + (millis * i) / Math.max(1, devices.size());
      vertx.setTimer(
          offset,
          first -> device.timer = vertx.setPeriodic(millis, tick -> device.send(model, version)));
    }
  }

  /** Stops sending; the devices stay connected. */
  public void stop() {
    for (Device device : devices) {
      if (device.timer >= 0) {
        vertx.cancelTimer(device.timer);
      }
    }
  }

  /** Devices whose connection is up now. */
  public long connected() {
    return devices.stream().filter(d -> d.client.isConnected()).count();
  }

  /** Publishes the client refused, its in-flight window full: not sent, so not counted. */
  public long refused() {
    return refused.get();
  }

  /** Batches sent so far. */
  public long sent() {
    return sent.get();
  }

  /** Batches the broker acknowledged so far. */
  public long acked() {
    return acked.get();
  }

  /** Requests the sent batches counted, 10 each. */
  public long requestsSent() {
    return requestsSent.get();
  }

  @Override
  public void close()
      throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
    stop();
    List<Future<?>> closing = new ArrayList<>();
    for (Device device : devices) {
      if (device.client.isConnected()) {
        closing.add(device.client.disconnect());
      }
    }
    try {
      Future.join(closing).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
