package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.MqttProbe;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.it.identity.TestCa;
import dev.ferry.protocol.api.Device;
import dev.ferry.protocol.api.EnrollmentTokenRequest;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.testing.SimulatedAgent;
import dev.ferry.protocol.testing.TelemetryBatches;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device identity end to end, on real Mosquitto (the shipped {@code deploy/mosquitto} config) and
 * on the hub's embedded broker, with real hub and agent processes: who may connect, what an
 * enrolled device may touch, what enrollment refuses, revocation, renewal across expiry, and the
 * manual policy (PENDING until an admin accepts).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceIdentityIT {
  private static final String TOKEN =
      dev.ferry.protocol.testing.AdminTokens.random("identity-it-admin");
  private static final String MODEL = "id-it";
  private static final String INFER = Oip.request(4);
  private static final JsonCodec CODEC = new JsonCodec();

  private Path dir;
  private SecureMosquitto mosquitto;
  private final List<AutoCloseable> running = new ArrayList<>();
  private Fleet onMosquitto;
  private Fleet onEmbedded;
  private String expiringToken;
  private Instant expiringCreated;

  /** A hub, its API, how devices reach its broker, and what it has enrolled. */
  private record Fleet(
      String name, JarProcess hub, HubApi api, Enrollment enrollment, String deviceUrl) {}

  @BeforeAll
  void startHubs(@TempDir Path temp) throws Exception {
    dir = temp;
    mosquitto = SecureMosquitto.start(dir.resolve("mosquitto"));
    running.add(mosquitto);
    Map<String, String> env = new HashMap<>(mosquitto.hubEnv());
    env.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-identity-it-" + System.nanoTime());
    onMosquitto = fleet("mosquitto", env, null);
    int mqtt = JarProcess.freePort();
    onEmbedded =
        fleet(
            "embedded",
            Map.of("FERRY_HUB_MQTT_HOST", "127.0.0.1", "FERRY_HUB_MQTT_PORT", "" + mqtt),
            "ssl://127.0.0.1:" + mqtt);
    expiringToken =
        onEmbedded
            .enrollment()
            .token(new EnrollmentTokenRequest(null, Map.of(), "PT1M", 1))
            .token();
    expiringCreated = Instant.now();
  }

  private Fleet fleet(String name, Map<String, String> mqtt, String deviceUrl) throws Exception {
    Map<String, String> env = new HashMap<>(mqtt);
    env.put("FERRY_HUB_DATA_DIR", dir.resolve(name + "-hub").toString());
    env.put("FERRY_HUB_BOOTSTRAP_TOKEN", TOKEN);
    JarProcess hub = JarProcess.start("hub", env, dir.resolve(name + "-hub.log"));
    running.add(hub);
    HubApi api = new HubApi(hub, TOKEN);
    api.publish(MODEL, "1.0.0", 1, dir);
    api.publish(MODEL, "2.0.0", 2, dir);
    return new Fleet(
        name,
        hub,
        api,
        new Enrollment(hub.url(), TOKEN),
        deviceUrl != null ? deviceUrl : mosquitto.deviceUrl());
  }

  @AfterAll
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  @Order(1)
  void anonymousAndForeignCertificates_areRefused_onBothBrokers() throws Exception {
    List<X509Certificate> ca = List.of(mosquitto.deviceCa().certificate());
    MqttProbe.assertRefused(mosquitto.deviceUrl(), MqttProbe.anonymous(ca), "anonymous");
    MqttProbe.assertRefused(mosquitto.hubUrl(), MqttProbe.anonymous(ca), "anonymous");
    DeviceIdentity legit = onMosquitto.enrollment().enroll("legit-m");
    DeviceIdentity foreign = foreign(legit);
    MqttProbe.assertRefused(mosquitto.deviceUrl(), foreign.options(), "another CA's certificate");
    MqttProbe.assertRefused(mosquitto.hubUrl(), legit.options(), "a device on the hub listener");
    MqttProbe.connect(mosquitto.deviceUrl(), legit).close();

    String url = onEmbedded.deviceUrl();
    DeviceIdentity device = onEmbedded.enrollment().enroll("legit-e");
    MqttProbe.assertRefused(url, MqttProbe.anonymous(device.trusted()), "anonymous");
    var passwordOnly = MqttProbe.anonymous(device.trusted());
    passwordOnly.setUserName(device.name());
    passwordOnly.setPassword(device.password().toCharArray());
    MqttProbe.assertRefused(url, passwordOnly, "a password without a certificate");
    MqttProbe.assertRefused(url, foreign(device).options(), "another CA's certificate");
    MqttProbe.assertRefused(
        url, device.withPassword("fdp_wrong").options(), "a certificate with a wrong password");
    MqttProbe.assertRefused(url, device.withPassword(null).options(), "no password");
    MqttProbe.connect(url, device).close();
  }

  /** The same name and password with a certificate from a CA the broker does not know. */
  private static DeviceIdentity foreign(DeviceIdentity device) throws Exception {
    TestCa other = TestCa.create("Ferry device CA");
    KeyPair keys = TestCa.ecKeys();
    return new DeviceIdentity(
        device.name(),
        keys.getPrivate(),
        List.of(other.client(device.name(), keys.getPublic(), Duration.ofDays(1))),
        device.trusted(),
        device.password());
  }

  @Test
  @Order(2)
  void onMosquitto_anAgentEnrollsAndServes_andAnotherDeviceCannotTouchIt() throws Exception {
    agentServes_andAnotherDeviceCannotTouchIt(onMosquitto);
  }

  @Test
  @Order(3)
  void onTheEmbeddedBroker_anAgentEnrollsAndServes_andAnotherDeviceCannotTouchIt()
      throws Exception {
    agentServes_andAnotherDeviceCannotTouchIt(onEmbedded);
  }

  private void agentServes_andAnotherDeviceCannotTouchIt(Fleet fleet) throws Exception {
    String b = "victim-" + fleet.name();
    Path agentDir = dir.resolve(b);
    String token = fleet.enrollment().token(b);
    Path tokenFile = Enrollment.tokenFile(dir.resolve(b + "-token"), token);
    Map<String, String> env = agentEnv(fleet, b, agentDir, tokenFile);
    try (JarProcess agent = JarProcess.start("agent", env, dir.resolve(b + ".log"))) {
      Oip oip = new Oip(agent);
      String rollout = fleet.api().rollout(MODEL, "1.0.0", "\"devices\":[\"" + b + "\"]");
      oip.awaitVersion(MODEL, INFER, "1.0.0");
      awaitRollout(fleet.api(), rollout, "SUCCEEDED");
      for (int i = 0; i < 5; i++) {
        assertEquals("1.0.0", oip.served(MODEL, INFER));
      }
      long requests = awaitRequestsStill(fleet.api());
      Device before = fleet.api().device(b);
      var progress = fleet.api().rolloutState(rollout).progress();

      DeviceIdentity a = fleet.enrollment().enroll("attacker-" + fleet.name());
      try (MqttProbe attacker = MqttProbe.connect(fleet.deviceUrl(), a)) {
        assertNull(subscribeToOthersDesired(attacker.client(), b), "A read B's desired state");
        attack(attacker, b);
      }
      Thread.sleep(3000);
      Device after = fleet.api().device(b);
      assertEquals(before.labels(), after.labels(), "B's labels");
      assertEquals(
          Oip.JSON.readTree(before.reported()).get("models"),
          Oip.JSON.readTree(after.reported()).get("models"),
          "B's reported models");
      assertEquals(requests, fleet.api().metrics(MODEL, "1.0.0").requests(), "B's telemetry");
      assertTrue(after.telemetry().lastSeq() < 1_000_000_000L, "A claimed B's seq numbers");
      assertEquals(progress, fleet.api().rolloutState(rollout).progress(), "rollout progress");
      assertEquals("1.0.0", oip.served(MODEL, INFER)); // one more request
      // B's own next batch still counts: A claimed no future seq numbers
      awaitRequests(fleet.api(), requests + 1);

      if (fleet == onMosquitto) {
        hubSignedStatesReplayedOrForged_areRefusedByTheAgent(fleet, b, agent);
      }
      assertSecretsKept(fleet, agentDir, tokenFile, token);
    }
  }

  private Map<String, String> agentEnv(Fleet fleet, String id, Path data, Path tokenFile)
      throws Exception {
    Path root =
        Files.writeString(
            dir.resolve(id + "-root.json"), fleet.api().get("/api/v1/trust/root").body());
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_AGENT_DEVICE_ID", id);
    env.put("FERRY_AGENT_LABELS_SITE", "identity-it");
    env.put("FERRY_AGENT_TRUST_ROOT", root.toString());
    env.put("FERRY_AGENT_DATA_DIR", data.toString());
    env.put("FERRY_AGENT_MQTT_URL", fleet.deviceUrl());
    env.put("FERRY_AGENT_HUB_URL", fleet.hub().url());
    env.put("FERRY_AGENT_ENROLLMENT_TOKEN_FILE", tokenFile.toString());
    env.put("FERRY_AGENT_REGISTRY_PLAIN_HTTP", "127.0.0.1:" + fleet.hub().port);
    env.put("FERRY_AGENT_TELEMETRY_INTERVAL", "1s");
    return env;
  }

  /** Subscribes to B's desired state; its retained state arriving, or null after 3 s. */
  private static byte[] subscribeToOthersDesired(MqttClient attacker, String b) throws Exception {
    BlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    try {
      attacker.subscribe(
          new String[] {new Topic(b, Channel.DESIRED).toString()},
          new int[] {1},
          new IMqttMessageListener[] {(topic, message) -> got.add(message.getPayload())});
    } catch (MqttException refused) {
      return null; // the embedded broker refuses the subscription outright
    }
    return got.poll(3, TimeUnit.SECONDS);
  }

  /** What an enrolled device might try against another: forged reports, telemetry, desired. */
  private static void attack(MqttProbe attacker, String b) throws Exception {
    byte[] reported =
        CODEC.encode(
            SimulatedAgent.reported(b, 0, "forged", Map.of("site", "elsewhere"), List.of()));
    byte[] telemetry =
        CODEC.encode(
            TelemetryBatches.of(
                b,
                1_000_000_000L,
                MODEL,
                "1.0.0",
                1000,
                1000,
                new DeviceMetrics(0.9, 1L << 20, 1L << 30, List.of())));
    attacker.publishRefusedOrIgnored(new Topic(b, Channel.REPORTED).toString(), reported, true);
    attacker.publishRefusedOrIgnored(new Topic(b, Channel.TELEMETRY).toString(), telemetry, false);
    attacker.publishRefusedOrIgnored(new Topic(b, Channel.DESIRED).toString(), new byte[0], true);
    attacker.publishRefusedOrIgnored(
        new Topic(b, Channel.DESIRED).toString(), "{\"payloadType\":".getBytes(), false);
  }

  /** The requests the hub counted for 1.0.0, once two readings 3 s apart agree. */
  private static long awaitRequestsStill(HubApi api) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long last = api.metrics(MODEL, "1.0.0").requests();
    while (true) {
      Thread.sleep(3000);
      long now = api.metrics(MODEL, "1.0.0").requests();
      if (now == last && now > 0) {
        return now;
      }
      assertTrue(System.nanoTime() < deadline, "the request count never settled: " + now);
      last = now;
    }
  }

  private static void awaitRequests(HubApi api, long count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long now;
    while ((now = api.metrics(MODEL, "1.0.0").requests()) != count) {
      assertTrue(System.nanoTime() < deadline, "the hub counted " + now + ", not " + count);
      Thread.sleep(500);
    }
  }

  private static void awaitRollout(HubApi api, String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!api.rolloutState(id).state().equals(state)) {
      assertTrue(System.nanoTime() < deadline, "rollout " + id + " never " + state);
      Thread.sleep(250);
    }
  }

  /**
   * On Mosquitto the test holds the hub's identity: the hub's own genuinely signed but older state,
   * the same re-signed by a stranger, and junk are refused by the agent (moved here from FleetIT,
   * where the embedded broker lets nobody but the hub write a desired state).
   */
  private void hubSignedStatesReplayedOrForged_areRefusedByTheAgent(
      Fleet fleet, String b, JarProcess agent) throws Exception {
    Oip oip = new Oip(agent);
    try (Wire wire = new Wire(mosquitto.hubUrl(), b, mosquitto.hubIdentity())) {
      byte[] v1Desired = wire.retainedDesired();
      fleet.api().rollout(MODEL, "2.0.0", "\"devices\":[\"" + b + "\"]");
      oip.awaitVersion(MODEL, INFER, "2.0.0");
      wire.inject(v1Desired);
      assertTrue(wire.nextRejection().startsWith("REPLAYED_SEQUENCE"));
      wire.inject(forged(v1Desired));
      assertTrue(wire.nextRejection().startsWith("UNTRUSTED_SIGNATURE"));
      wire.inject("{\"payloadType\":".getBytes(StandardCharsets.UTF_8));
      assertTrue(wire.nextRejection().startsWith("MALFORMED"));
      oip.awaitVersion(MODEL, INFER, "2.0.0");
    }
  }

  /** The same desired state, signed by a key the device does not trust. */
  private static byte[] forged(byte[] envelope) {
    var signed = CODEC.decode(envelope, dev.ferry.protocol.signing.Envelope.class);
    var attacker =
        new dev.ferry.protocol.signing.Signer(dev.ferry.protocol.signing.Ed25519.generate());
    return CODEC.encode(attacker.sign(signed.payloadType(), signed.payloadBytes()));
  }

  /** Key, password and token files are 0600; no secret is in the hub's or the agent's log. */
  private void assertSecretsKept(Fleet fleet, Path agentDir, Path tokenFile, String token)
      throws Exception {
    Path identity = agentDir.resolve("identity");
    assertEquals("rwx------", mode(identity), identity.toString());
    for (Path file :
        List.of(identity.resolve("device.key"), identity.resolve("mqtt.password"), tokenFile)) {
      assertEquals("rw-------", mode(file), file.toString());
    }
    String password = Files.readString(identity.resolve("mqtt.password")).strip();
    String key = Files.readString(identity.resolve("device.key"));
    String keyBody = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
    for (Path log :
        List.of(
            dir.resolve(fleet.name() + "-hub.log"), dir.resolve(agentDir.getFileName() + ".log"))) {
      String text = Files.readString(log);
      for (String secret : List.of(token, password, keyBody, TOKEN)) {
        assertFalse(text.contains(secret), log.getFileName() + " holds a secret");
      }
    }
  }

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  @Order(8) // last: its token, made at the start, must have expired by then
  void enrollment_refusesReusedWrongDeviceMalformedAndExpiredTokensOrCsrs_issuingNothing()
      throws Exception {
    Enrollment enrollment = onEmbedded.enrollment();
    KeyPair keys = TestCa.ecKeys();
    String once = enrollment.fleetToken(Map.of("batch", "one"), 1);
    enrollment.enroll(once, "enr-first");
    refused(
        enrollment.enroll(once, "enr-second", csr("enr-second", keys)),
        401,
        "token has no uses left");

    refused(
        enrollment.enroll("fet_not-a-token", "enr-second", csr("enr-second", keys)),
        401,
        "token is not a valid enrollment token");

    String forX = enrollment.token("enr-x");
    refused(
        enrollment.enroll(forX, "enr-y", csr("enr-y", keys)),
        403,
        "deviceId 'enr-y' is not the device this token enrolls");
    refused(
        enrollment.enroll(forX, "enr-x", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"),
        400,
        "csr must be a PEM PKCS#10 certificate request: ");
    refused(
        enrollment.enroll(forX, "enr-x", csr("someone-else", keys)),
        400,
        "csr subject CN must be the deviceId 'enr-x', got 'someone-else'");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    refused(
        enrollment.enroll(forX, "enr-x", csr("enr-x", rsa.generateKeyPair())),
        400,
        "csr key must be EC P-256 or RSA of at least 2048 bits");
    for (String id : List.of("enr-second", "enr-y", "enr-x")) {
      assertEquals(404, onEmbedded.api().get("/api/v1/devices/" + id).statusCode(), id);
    }
    // the refusals used nothing up: the token still enrolls its device
    assertNotNull(enrollment.enroll(forX, "enr-x").chain().get(0));

    long age = Duration.between(expiringCreated, Instant.now()).toSeconds();
    Thread.sleep(Math.max(0, 62 - age) * 1000);
    refused(
        enrollment.enroll(expiringToken, "enr-late", csr("enr-late", keys)),
        401,
        "token expired at ");
    assertEquals(404, onEmbedded.api().get("/api/v1/devices/enr-late").statusCode());
  }

  private static String csr(String cn, KeyPair keys) throws Exception {
    return Enrollment.csr(cn, keys);
  }

  private static void refused(HttpResponse<String> response, int status, String message)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    String actual = Oip.JSON.readTree(response.body()).path("message").asText();
    assertTrue(actual.startsWith(message), "message: " + actual);
    assertFalse(response.body().contains("\"certificate\""), "issued: " + response.body());
  }

  @Test
  @Order(5)
  void aRevokedDevice_isRefusedAtConnect_andCutOffOnTheEmbeddedBroker() throws Exception {
    DeviceIdentity e = onEmbedded.enrollment().enroll("revoked-e");
    try (MqttProbe live = MqttProbe.connect(onEmbedded.deviceUrl(), e)) {
      assertEquals("REVOKED", onEmbedded.api().revoke("revoked-e").enrollment().state());
      assertTrue(live.cutWithin(10), "the embedded broker kept the revoked session");
    }
    MqttProbe.assertRefused(onEmbedded.deviceUrl(), e.options(), "a revoked device");

    DeviceIdentity m = onMosquitto.enrollment().enroll("revoked-m");
    try (MqttProbe live = MqttProbe.connect(mosquitto.deviceUrl(), m)) {
      onMosquitto.api().revoke("revoked-m");
      awaitOnCrl(m.chain().get(0));
      mosquitto.reload();
      MqttProbe.assertRefused(mosquitto.deviceUrl(), m.options(), "a revoked device");
      // Mosquitto 2.0.11 keeps a live session through a reload (deploy/mosquitto/README.md)...
      assertTrue(live.client().isConnected());
      // ...but what it sends now is not counted: the hub takes messages of accepted devices only
      double refused = refusedNotEnrolled(onMosquitto.api());
      long requests = onMosquitto.api().metrics(MODEL, "1.0.0").requests();
      live.publishRefusedOrIgnored(
          new Topic("revoked-m", Channel.TELEMETRY).toString(),
          CODEC.encode(
              TelemetryBatches.of(
                  "revoked-m",
                  1,
                  MODEL,
                  "1.0.0",
                  10,
                  0,
                  new DeviceMetrics(0.1, 1L << 20, 1L << 30, List.of()))),
          false);
      awaitRefusedNotEnrolled(onMosquitto.api(), refused + 1);
      assertEquals(requests, onMosquitto.api().metrics(MODEL, "1.0.0").requests());
      mosquitto.restart();
      // ...and a restart ends it; the revoked device cannot come back
      assertTrue(live.cutWithin(10));
    }
    MqttProbe.assertRefused(mosquitto.deviceUrl(), m.options(), "a revoked device");
    MqttProbe.connect(mosquitto.deviceUrl(), onMosquitto.enrollment().enroll("after-m")).close();
  }

  private static double refusedNotEnrolled(HubApi api) throws Exception {
    String name = "ferry_hub_messages_refused_total{reason=\"not_enrolled\"";
    return api.get("/q/metrics")
        .body()
        .lines()
        .filter(l -> l.startsWith(name))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static void awaitRefusedNotEnrolled(HubApi api, double count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (refusedNotEnrolled(api) < count) {
      assertTrue(System.nanoTime() < deadline, "the hub never refused the revoked device's batch");
      Thread.sleep(200);
    }
  }

  private void awaitOnCrl(X509Certificate certificate) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      X509CRL crl =
          (X509CRL)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCRL(Files.newInputStream(mosquitto.crlFile()));
      if (crl.isRevoked(certificate)) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, "the hub never wrote the serial to its CRL");
      Thread.sleep(200);
    }
  }

  @Test
  @Order(6)
  void aRenewedCertificate_keepsTheAgentWorking_acrossTheOldOnesExpiry() throws Exception {
    int mqtt = JarProcess.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_HUB_MQTT_HOST", "127.0.0.1");
    env.put("FERRY_HUB_MQTT_PORT", "" + mqtt);
    // issued 60 s back-dated: valid 80 s in all, renewed once 15 % of that (12 s) is left
    env.put("FERRY_HUB_ENROLLMENT_CERTIFICATE_VALIDITY", "PT20S");
    Fleet shortLived = fleet("short", env, "ssl://127.0.0.1:" + mqtt);
    String id = "renewing";
    Path data = dir.resolve(id);
    Path tokenFile =
        Enrollment.tokenFile(dir.resolve(id + "-token"), shortLived.enrollment().token(id));
    Map<String, String> agentEnv = agentEnv(shortLived, id, data, tokenFile);
    agentEnv.put("FERRY_AGENT_ENROLLMENT_RENEW_BEFORE", "0.15");
    try (JarProcess agent = JarProcess.start("agent", agentEnv, dir.resolve(id + ".log"))) {
      Oip oip = new Oip(agent);
      shortLived.api().rollout(MODEL, "1.0.0", "\"devices\":[\"" + id + "\"]");
      oip.awaitVersion(MODEL, INFER, "1.0.0");
      Instant first = notAfter(data);
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), first).toMillis()) + 5000);

      shortLived.api().rollout(MODEL, "2.0.0", "\"devices\":[\"" + id + "\"]");
      oip.awaitVersion(MODEL, INFER, "2.0.0");
      assertTrue(notAfter(data).isAfter(first), "the agent never renewed its certificate");
      assertTrue(
          shortLived.api().device(id).enrollment().certificateNotAfter().isAfter(first),
          "the hub never issued a newer certificate");
    }
  }

  @Test
  @Order(7)
  void underTheManualPolicy_anAgentWaitsPending_untilAnAdminAcceptsIt() throws Exception {
    int mqtt = JarProcess.freePort();
    Fleet manual =
        fleet(
            "manual",
            Map.of(
                "FERRY_HUB_MQTT_HOST",
                "127.0.0.1",
                "FERRY_HUB_MQTT_PORT",
                "" + mqtt,
                "FERRY_HUB_ENROLLMENT_POLICY",
                "manual"),
            "ssl://127.0.0.1:" + mqtt);
    String id = "held";
    Path data = dir.resolve(id);
    Path tokenFile =
        Enrollment.tokenFile(dir.resolve(id + "-token"), manual.enrollment().token(id));
    Map<String, String> env = agentEnv(manual, id, data, tokenFile);
    env.put("FERRY_AGENT_ENROLLMENT_POLL_INTERVAL", "1s");
    try (JarProcess agent = JarProcess.start("agent", env, dir.resolve(id + ".log"))) {
      awaitEnrollment(manual.api(), id, "PENDING");
      Thread.sleep(3000); // several polls: still nothing issued
      assertEquals("PENDING", manual.api().device(id).enrollment().state());
      assertFalse(Files.exists(data.resolve("identity/device.crt")), "issued while PENDING");
      var accepted = manual.api().post("/api/v1/devices/" + id + "/accept", "");
      assertEquals(200, accepted.statusCode(), accepted.body());
      manual.api().rollout(MODEL, "1.0.0", "\"devices\":[\"" + id + "\"]");
      new Oip(agent).awaitVersion(MODEL, INFER, "1.0.0");
      assertTrue(Files.exists(data.resolve("identity/device.crt")));
    }
  }

  private static void awaitEnrollment(HubApi api, String id, String state) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      var response = api.get("/api/v1/devices/" + id);
      if (response.statusCode() == 200
          && state.equals(
              Oip.JSON.readTree(response.body()).path("enrollment").path("state").asText())) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, id + " never " + state + ": " + response.body());
      Thread.sleep(250);
    }
  }

  private static Instant notAfter(Path agentData) throws Exception {
    String pem = Files.readString(agentData.resolve("identity/device.crt"));
    return DeviceIdentity.certificates(pem).get(0).getNotAfter().toInstant();
  }
}
