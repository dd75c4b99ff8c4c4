package dev.ferry.it.identity;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real Mosquitto with the shipped {@code deploy/mosquitto} config (paths and ports rewritten, no
 * persistence): a device listener and a hub listener, both mutual TLS. The test makes the hub's
 * device CA (given to the hub with {@code FERRY_HUB_DEVICE_CA_KEY}/{@code _CERTIFICATE}, so the
 * test can sign the broker's server certificate with it and agents trust the broker through the CA
 * their enrollment gave them) and a CA of the hub's clients that signs the hub's {@code ferry-hub}
 * certificate. The hub writes its CRL into this folder ({@code FERRY_HUB_ENROLLMENT_CRL_FILE}).
 */
public final class SecureMosquitto implements AutoCloseable {
  private static final String CONF = "deploy/mosquitto/mosquitto.conf";
  private static final String ACL = "deploy/mosquitto/ferry.acl";

  private final Path dir;
  private final TestCa deviceCa;
  private final KeyPair hubKeys;
  private final java.security.cert.X509Certificate hubCertificate;
  public final int devicePort;
  public final int hubPort;
  private final boolean persistent;
  private Process process;

  private SecureMosquitto(Path dir, int devicePort, int hubPort, boolean persistent)
      throws Exception {
    this.dir = Files.createDirectories(dir);
    this.persistent = persistent;
    Files.createDirectories(dir.resolve("persistence"));
    this.devicePort = devicePort;
    this.hubPort = hubPort;
    deviceCa = TestCa.create("Ferry device CA");
    deviceCa.write(dir.resolve("device-ca.key"), dir.resolve("device-ca.crt"));
    Files.writeString(crlFile(), deviceCa.emptyCrl(), StandardCharsets.US_ASCII);
    KeyPair server = TestCa.ecKeys();
    TestCa.writeKey(dir.resolve("server.key"), server);
    Files.writeString(
        dir.resolve("server.crt"),
        TestCa.pem(
            deviceCa.server("localhost", server.getPublic(), List.of("127.0.0.1", "localhost"))));
    TestCa hubClients = TestCa.create("Ferry hub clients CA");
    Files.writeString(dir.resolve("hub-clients-ca.crt"), TestCa.pem(hubClients.certificate()));
    hubKeys = TestCa.ecKeys();
    hubCertificate = hubClients.client("ferry-hub", hubKeys.getPublic(), Duration.ofDays(30));
    TestCa.writeKey(dir.resolve("hub.key"), hubKeys);
    Files.writeString(dir.resolve("hub.crt"), TestCa.pem(hubCertificate));
    Files.copy(Services.root().resolve(ACL), dir.resolve("ferry.acl"));
    Files.writeString(dir.resolve("mosquitto.conf"), config());
  }

  /** Makes the certificates and the config in {@code dir} and starts Mosquitto on free ports. */
  public static SecureMosquitto start(Path dir) throws Exception {
    return start(dir, false);
  }

  /**
   * The same with the shipped persistence kept (sessions and queued messages saved under {@code
   * dir/persistence/} when it stops), as a production broker runs.
   */
  public static SecureMosquitto startPersistent(Path dir) throws Exception {
    return start(dir, true);
  }

  /**
   * Starts it on two free ports; a port taken between its choice and Mosquitto's bind (by any
   * outgoing connection's ephemeral port) is a new pair of ports, up to three times.
   */
  private static SecureMosquitto start(Path dir, boolean persistent) throws Exception {
    for (int attempt = 1; ; attempt++) {
      SecureMosquitto mosquitto =
          new SecureMosquitto(
              dir,
              dev.ferry.it.fleet.JarProcess.freePort(),
              dev.ferry.it.fleet.JarProcess.freePort(),
              persistent);
      try {
        mosquitto.launch();
        return mosquitto;
      } catch (AssertionError e) {
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
        Files.deleteIfExists(dir.resolve("mosquitto.log"));
        Files.deleteIfExists(dir.resolve("mosquitto.out"));
      }
    }
  }

  private String config() throws IOException {
    String shipped = Files.readString(Services.root().resolve(CONF));
    Map<String, String> rewrites = new java.util.LinkedHashMap<>();
    rewrites.put("/var/lib/ferry-hub/keys/device-ca.crt", dir.resolve("device-ca.crt").toString());
    rewrites.put("/var/lib/ferry-hub/keys/devices.crl.pem", crlFile().toString());
    rewrites.put("/etc/mosquitto/ferry/", dir + "/");
    rewrites.put("\nlistener 8883\n", "\nlistener " + devicePort + " 127.0.0.1\n");
    rewrites.put("\nlistener 8884\n", "\nlistener " + hubPort + " 127.0.0.1\n");
    rewrites.put("\npersistence true\n", "\npersistence " + persistent + "\n");
    rewrites.put(
        "\npersistence_location /var/lib/mosquitto/\n",
        persistent ? "\npersistence_location " + dir.resolve("persistence") + "/\n" : "\n");
    String config = shipped;
    for (Map.Entry<String, String> rewrite : rewrites.entrySet()) {
      if (!config.contains(rewrite.getKey())) {
        throw new AssertionError(CONF + " no longer has " + rewrite.getKey().strip());
      }
      config = config.replace(rewrite.getKey(), rewrite.getValue());
    }
    return config
        + "\n# added by the integration tests\n"
        + "user "
        + System.getProperty("user.name")
        + "\nlog_dest file "
        + dir.resolve("mosquitto.log")
        + "\nlog_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
        + "connection_messages true\n";
  }

  private void launch() throws Exception {
    Path binary =
        List.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/local/sbin/mosquitto")).stream()
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(Path.of("mosquitto"));
    process =
        new ProcessBuilder(binary.toString(), "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!(open(devicePort) && open(hubPort))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroy();
        Path log = dir.resolve("mosquitto.log");
        throw new AssertionError(
            "mosquitto did not start on ports "
                + devicePort
                + " and "
                + hubPort
                + ": "
                + Files.readString(dir.resolve("mosquitto.out"))
                + (Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(50);
    }
  }

  private static boolean open(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException closed) {
      return false;
    }
  }

  /** The broker's process id. */
  public long pid() {
    return process.pid();
  }

  /** Where the hub writes its CRL and Mosquitto reads it. */
  public Path crlFile() {
    return dir.resolve("devices.crl.pem");
  }

  /** The device listener, {@code ssl://127.0.0.1:<port>}: agents connect here. */
  public String deviceUrl() {
    return "ssl://127.0.0.1:" + devicePort;
  }

  /** The hub listener. */
  public String hubUrl() {
    return "ssl://127.0.0.1:" + hubPort;
  }

  /** The hub's device CA, made by the test. */
  public TestCa deviceCa() {
    return deviceCa;
  }

  /**
   * The hub's settings for this broker: its device CA, its CRL file here, and its MQTT client (URL,
   * client certificate, trust).
   */
  public Map<String, String> hubEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("FERRY_HUB_DEVICE_CA_KEY", dir.resolve("device-ca.key").toString());
    env.put("FERRY_HUB_DEVICE_CA_CERTIFICATE", dir.resolve("device-ca.crt").toString());
    env.put("FERRY_HUB_ENROLLMENT_CRL_FILE", crlFile().toString());
    env.put("FERRY_HUB_MQTT_URL", hubUrl());
    env.put("FERRY_HUB_MQTT_CA_FILE", dir.resolve("device-ca.crt").toString());
    env.put("FERRY_HUB_MQTT_CERTIFICATE_FILE", dir.resolve("hub.crt").toString());
    env.put("FERRY_HUB_MQTT_KEY_FILE", dir.resolve("hub.key").toString());
    return env;
  }

  /** The hub's identity on the hub listener, for tests that watch or write as the hub. */
  public DeviceIdentity hubIdentity() {
    return new DeviceIdentity(
        "ferry-hub",
        hubKeys.getPrivate(),
        List.of(hubCertificate),
        List.of(deviceCa.certificate()),
        null);
  }

  /**
   * Gives an agent that runs without a hub (the test in the hub's place) the identity files an
   * enrollment would have written under {@code <data-dir>/identity/}: a key (0600), a certificate
   * from the device CA, the CA, and a password (unused on Mosquitto, where the certificate is the
   * credential).
   */
  public void provision(Path agentDataDir, String deviceId) throws Exception {
    Path identity = agentDataDir.resolve("identity");
    Files.createDirectories(
        identity,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    KeyPair keys = TestCa.ecKeys();
    TestCa.writeKey(identity.resolve("device.key"), keys);
    Files.writeString(
        identity.resolve("device.crt"),
        TestCa.pem(deviceCa.client(deviceId, keys.getPublic(), Duration.ofDays(30))));
    Files.writeString(identity.resolve("ca.crt"), TestCa.pem(deviceCa.certificate()));
    Path password = identity.resolve("mqtt.password");
    Files.deleteIfExists(password);
    Files.createFile(
        password,
        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    Files.writeString(password, "fdp_unused-on-mosquitto");
  }

  /** A device identity issued by the device CA directly (no hub), for clients of this broker. */
  public DeviceIdentity device(String deviceId) throws GeneralSecurityException {
    KeyPair keys = TestCa.ecKeys();
    return new DeviceIdentity(
        deviceId,
        keys.getPrivate(),
        List.of(deviceCa.client(deviceId, keys.getPublic(), Duration.ofDays(1))),
        List.of(deviceCa.certificate()),
        null);
  }

  /** SIGHUP: Mosquitto rereads its config and the CRL for new connections; sessions stay. */
  public void reload() throws Exception {
    long before = count(dir.resolve("mosquitto.log"), "Reloading config.");
    // the shell's own kill: a minimal Debian has no /bin/kill (procps)
    Process kill = new ProcessBuilder("sh", "-c", "kill -HUP " + process.pid()).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -HUP " + process.pid() + " failed");
    }
    awaitLog("Reloading config.", before);
  }

  /** Stops and starts it on the same ports: every client reconnects, the CRL is read afresh. */
  public void restart() throws Exception {
    stop();
    launch();
  }

  /** Stops it (SIGTERM, as a service stop does): clients see the broker gone until {@link #up}. */
  public void down() throws InterruptedException {
    stop();
  }

  /** Starts it again on the same ports after {@link #down}. */
  public void up() throws Exception {
    launch();
  }

  private void awaitLog(String line, long before) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Path log = dir.resolve("mosquitto.log");
    while (count(log, line) == before) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("mosquitto never logged " + line);
      }
      Thread.sleep(50);
    }
  }

  private static long count(Path log, String line) throws IOException {
    return Files.exists(log)
        ? Files.readAllLines(log).stream().filter(l -> l.endsWith(line)).count()
        : 0;
  }

  private void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(15, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      stop();
    }
  }
}
