package dev.ferry.agent.sync;

import dev.ferry.agent.fetch.Backoff;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.device.TrustTopics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.retry.FailureStreak;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.jboss.logging.Logger;

/**
 * The agent's MQTT link (Paho, MQTT 3.1.1, QoS 1, persistent session): a will that marks the device
 * offline, presence on connect, the desired-state and receipt subscriptions, and reconnects with
 * jittered exponential backoff, so that a fleet does not reconnect in lockstep. Serving never
 * depends on it. A message over {@link Topic#MAX_PACKET_BYTES} (which a broker without Ferry's
 * limit may send) is read past without being held ({@link GuardedMqttClient}), logged, counted and
 * acknowledged, never delivered.
 */
public final class AgentMqtt implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(AgentMqtt.class);
  private static final Backoff RECONNECT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), Integer.MAX_VALUE);

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
  private static final long CLOSE_WAIT_MILLIS = 2000;
  // a connection lost sooner than this after it was made counts as a failed attempt
  private static final Duration STABLE = Duration.ofSeconds(10);
  // the most such losses count: the wait after one stays within the backoff's bound for this
  private static final int MOST_SHORT = 5;

  private final String deviceId;
  private final String agentVersion;
  private final GuardedMqttClient client;
  private final MqttConnectOptions options;
  private final Consumer<byte[]> desired;
  private volatile Consumer<byte[]> roots = payload -> {};
  private volatile Consumer<byte[]> receipts = payload -> {};
  private final JsonCodec codec = new JsonCodec();
  private final ScheduledExecutorService reconnector =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ferry-mqtt-reconnect");
            thread.setDaemon(true);
            return thread;
          });
  // a failed connect is logged at an outage's start and every ten minutes of it: the agent retries
  // up to once a minute, and a device may be offline for days
  private final FailureStreak outage = new FailureStreak(Duration.ofMinutes(10));
  private volatile boolean closed;
  private volatile long connectedAt = System.nanoTime();
  private volatile int shortConnections; // Paho's callback and the reconnector, one at a time
  private volatile boolean started;
  private final java.util.List<Runnable> onConnect =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, Consumer<byte[]>> fleetTopics = new ConcurrentHashMap<>();
  private final AtomicLong oversize = new AtomicLong();

  /**
   * Creates the link; {@link #start()} connects it.
   *
   * @param url the broker, {@code tcp://host:1883}
   * @param deviceId the device id, also the MQTT client id
   * @param agentVersion the agent's version, for presence
   * @param dataDir where Paho keeps in-flight QoS 1 messages
   * @param desired called with each desired-state payload, on Paho's thread
   */
  public AgentMqtt(
      String url, String deviceId, String agentVersion, Path dataDir, Consumer<byte[]> desired)
      throws MqttException {
    this.deviceId = deviceId;
    this.agentVersion = agentVersion;
    this.desired = desired;
    this.client =
        new GuardedMqttClient(
            url,
            deviceId,
            new MqttDefaultFilePersistence(dataDir.resolve("mqtt").toString()),
            Topic.MAX_PACKET_BYTES,
            this::skipped);
    this.options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(30);
    options.setWill(topic(Channel.ONLINE), presence(false), 1, true);
    if (url.startsWith("tcp://")) {
      options.setSocketFactory(NoDelaySockets.plain());
    }
    client.setCallback(new Reconnect());
    client.setTimeToWait(PUBLISH_TIMEOUT.toMillis());
  }

  /**
   * Where the hub's chain of trust roots goes ({@link TrustTopics#ROOTS}); call before {@link
   * #start()}. It is subscribed before the desired state, so that a rotation arrives first.
   *
   * @param roots called with each chain payload, on Paho's thread
   */
  public void onRoots(Consumer<byte[]> roots) {
    this.roots = roots;
  }

  /**
   * Where the hub's receipts for this device's telemetry go ({@link Channel#RECEIPTS}); call before
   * {@link #start()}.
   *
   * @param receipts called with each receipt payload, on Paho's thread
   */
  public void onReceipts(Consumer<byte[]> receipts) {
    this.receipts = receipts;
  }

  /**
   * Sets broker credentials; call before {@link #start()}.
   *
   * @param username the user name
   * @param password the password; never logged
   */
  public void credentials(String username, char[] password) {
    options.setUserName(username);
    options.setPassword(password);
  }

  /**
   * Sets the TLS socket factory for {@code ssl://} brokers (trusted CAs, client certificate); call
   * before {@link #start()}. The broker's host name is verified against its certificate.
   *
   * @param factory the factory
   */
  public void tls(SSLSocketFactory factory) {
    options.setSocketFactory(NoDelaySockets.tls(factory));
    options.setHttpsHostnameVerificationEnabled(true);
  }

  /**
   * Adds an action run after every (re)connect, for example to send what waited.
   *
   * @param action the action; it runs on the reconnect thread and should hand long work off
   */
  public void onConnect(Runnable action) {
    onConnect.add(action);
  }

  /**
   * Subscribes to a topic the hub publishes for the whole fleet (such as {@code
   * ferry/v1/trust/revocations}), on every connect; call before {@link #start()}.
   *
   * @param topic the topic
   * @param listener called with each payload, on Paho's thread
   */
  public void subscribe(String topic, Consumer<byte[]> listener) {
    fleetTopics.put(topic, listener);
  }

  /** Connects in the background, retrying until it succeeds or the link is closed. */
  public void start() {
    started = true;
    reconnector.execute(() -> connect(0));
  }

  /**
   * Drops the connection and connects again, so that a renewed client certificate is presented;
   * before {@link #start()} it does nothing. It does not wait for messages in flight: they are in
   * Paho's file store and go again on the new connection (before, Paho's disconnect waited up to 30
   * s for their acknowledgements, from a broker that might have stopped sending them).
   */
  public void reconnect() {
    if (!started) {
      return;
    }
    reconnector.execute(
        () -> {
          shortConnections = 0; // a connection this agent ends says nothing of the broker's
          try {
            if (client.isConnected()) {
              disconnectOrDrop();
            }
          } catch (MqttException e) {
            LOG.debugf("MQTT disconnect before reconnecting: %s", e.getMessage());
          }
          connect(0);
        });
  }

  /**
   * A DISCONNECT without waiting for what is in flight, sent within {@value #CLOSE_WAIT_MILLIS} ms;
   * the connection dropped if it fails.
   */
  private void disconnectOrDrop() throws MqttException {
    try {
      client.disconnectWithin(CLOSE_WAIT_MILLIS);
    } catch (MqttException unanswered) {
      LOG.debugf("MQTT disconnect: %s; dropping the connection", unanswered.getMessage());
      client.disconnectForcibly(0, CLOSE_WAIT_MILLIS, false);
    }
  }

  /** How many messages over {@link Topic#MAX_PACKET_BYTES} the broker sent, each read past. */
  public long oversizeMessages() {
    return oversize.get();
  }

  private void skipped(OversizeMessage message) {
    oversize.incrementAndGet();
    LOG.warn(message.describe());
  }

  /** Whether the link is up now. */
  public boolean connected() {
    return client.isConnected();
  }

  /**
   * Publishes on one of this device's channels, retained where the channel is.
   *
   * @param channel the channel
   * @param payload the payload
   * @throws MqttException if the link is down; the caller keeps the message for later
   */
  public void publish(Channel channel, byte[] payload) throws MqttException {
    client.publish(topic(channel), payload, 1, channel.retained());
  }

  private void connect(int attempt) {
    if (closed || client.isConnected()) {
      return;
    }
    try {
      client.connect(options);
      connectedAt = System.nanoTime();
      client.subscribe(
          new String[] {TrustTopics.ROOTS, topic(Channel.DESIRED)},
          new int[] {1, 1},
          new IMqttMessageListener[] {
            (t, message) -> roots.accept(message.getPayload()),
            (t, message) -> desired.accept(message.getPayload())
          });
      subscribeReceipts();
      subscribeFleetTopics();
      client.publish(topic(Channel.ONLINE), presence(true), 1, true);
      outage
          .ended(Instant.now())
          .ifPresentOrElse(
              down ->
                  LOG.infof(
                      "connected to %s as %s after %d s without a connection",
                      client.getServerURI(), deviceId, down.lasted().toSeconds()),
              () -> LOG.infof("connected to %s as %s", client.getServerURI(), deviceId));
      onConnect.forEach(Runnable::run);
    } catch (MqttException e) {
      if (closed) {
        return; // the agent stops: close() ends the connection, its offline presence first
      }
      dropHalfOpen();
      long delay = RECONNECT.delay(attempt).toMillis();
      failed(e, delay);
      reconnector.schedule(() -> connect(attempt + 1), delay, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Drops a connection whose subscriptions or presence did not go through (the broker accepted the
   * connection, then did not answer in time): the retry makes a whole one, where it would otherwise
   * find the client connected and do nothing, and the device would hear no desired state.
   */
  private void dropHalfOpen() {
    if (!client.isConnected()) {
      return;
    }
    try {
      disconnectOrDrop();
    } catch (MqttException e) {
      LOG.debugf("MQTT drop of a half-made connection: %s", e.getMessage());
    }
  }

  /**
   * The attempt a reconnect after a lost connection starts from: 0 after a connection that lasted,
   * one more each time a connection is lost soon after it was made (another client with this
   * device's id taking the session over and back, a broker dropping it at once), so such a loop
   * slows down (to at most 16 s between attempts) rather than reconnecting at once each time.
   */
  private int attemptAfterLoss() {
    boolean lasted = System.nanoTime() - connectedAt >= STABLE.toNanos();
    shortConnections = lasted ? 0 : Math.min(shortConnections + 1, MOST_SHORT);
    return shortConnections;
  }

  /** A failed connect: a warning at an outage's start and every ten minutes of it, else debug. */
  private void failed(MqttException e, long retryMillis) {
    String why = describe(e);
    switch (outage.failed(Instant.now())) {
      case FIRST ->
          LOG.warnf(
              "cannot connect to %s as %s (%s); retrying, at least once a minute, while the"
                  + " models go on serving from the cache",
              client.getServerURI(), deviceId, why);
      case AGAIN ->
          LOG.warnf(
              "still no connection to %s since %s (%s)",
              client.getServerURI(), outage.since().orElseThrow(), why);
      case QUIET -> LOG.debugf("MQTT connect failed (%s); retrying in %d ms", why, retryMillis);
    }
  }

  /** Paho's reason and, where there is one, what caused it (a refused TLS handshake, say). */
  private static String describe(MqttException e) {
    Throwable cause = e.getCause();
    return cause == null || cause.getMessage() == null
        ? e.getMessage()
        : e.getMessage() + ": " + cause.getMessage();
  }

  /** Apart, so that a broker of an older hub, which refuses it, still lets the agent connect. */
  private void subscribeReceipts() {
    try {
      client.subscribe(
          new String[] {topic(Channel.RECEIPTS)},
          new int[] {1},
          new IMqttMessageListener[] {(t, message) -> receipts.accept(message.getPayload())});
    } catch (MqttException e) {
      LOG.warnf(
          "the broker refused %s (%s): telemetry batches wait in the journal until the hub"
              + " sends receipts",
          topic(Channel.RECEIPTS), e.getMessage());
    }
  }

  /**
   * The fleet-wide topics; one the broker refuses (an ACL older than the topic) is a warning, not a
   * connection to make again: the device's own desired state still comes.
   */
  private void subscribeFleetTopics() throws MqttException {
    for (Map.Entry<String, Consumer<byte[]>> fleet : fleetTopics.entrySet()) {
      try {
        client.subscribe(fleet.getKey(), 1, (t, m) -> fleet.getValue().accept(m.getPayload()));
      } catch (MqttException e) {
        if (e.getReasonCode() != MqttException.REASON_CODE_SUBSCRIBE_FAILED) {
          throw e;
        }
        LOG.warnf("the broker refused %s (%s)", fleet.getKey(), e.getMessage());
      }
    }
  }

  private String topic(Channel channel) {
    return new Topic(deviceId, channel).toString();
  }

  private byte[] presence(boolean online) {
    return codec.encode(new Presence(deviceId, online, Instant.now(), agentVersion));
  }

  /**
   * Says the device goes offline and disconnects, waiting for the broker {@value
   * #CLOSE_WAIT_MILLIS} ms at most: a broker that stopped answering held a stopping agent for the
   * publish's 10 s, and Paho's disconnect waits up to 30 s for messages in flight (they are in its
   * file store, and go at the next connection). Unanswered, the agent drops the connection without
   * a DISCONNECT, so that the broker sends its will.
   */
  @Override
  public void close() {
    closed = true;
    reconnector.shutdownNow();
    try {
      if (client.isConnected()) {
        client.setTimeToWait(CLOSE_WAIT_MILLIS);
        try {
          client.publish(topic(Channel.ONLINE), presence(false), 1, true);
          disconnectOrDrop();
        } catch (MqttException unanswered) {
          LOG.debugf("MQTT close: %s; dropping the connection", unanswered.getMessage());
          client.disconnectForcibly(0, CLOSE_WAIT_MILLIS, false);
        }
      }
      client.close();
    } catch (MqttException e) {
      LOG.debugf("MQTT close: %s", e.getMessage());
    }
  }

  private final class Reconnect implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      if (closed) {
        return;
      }
      LOG.warnf("MQTT connection lost (%s); reconnecting", cause.getMessage());
      outage.began(Instant.now());
      int attempt = attemptAfterLoss();
      if (attempt == 0) {
        reconnector.execute(() -> connect(0));
      } else {
        long delay = RECONNECT.delay(attempt).toMillis();
        reconnector.schedule(() -> connect(attempt), delay, TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // the subscriptions' listeners receive the messages; what arrives here is the stand-in of
      // one read past (OversizeGuard), which Paho acknowledges once this returns
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      // nothing to do for QoS 1
    }
  }
}
