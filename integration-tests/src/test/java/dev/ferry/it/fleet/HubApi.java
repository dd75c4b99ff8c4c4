package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.it.identity.DeviceIdentity;
import dev.ferry.it.identity.Enrollment;
import dev.ferry.it.identity.SecureMosquitto;
import dev.ferry.protocol.api.Device;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The hub's REST API as a release manager uses it, with the admin token. */
public final class HubApi {
  /** Reads the API's records ({@code dev.ferry.protocol.api}) as a client does. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final JarProcess hub;
  private final String token;

  /**
   * The API of a hub process.
   *
   * @param hub the hub
   * @param token the token to send
   */
  public HubApi(JarProcess hub, String token) {
    this.hub = hub;
    this.token = token;
  }

  /** Enrolls up to this many devices with one token, a key each (for {@code FleetSimulator}). */
  java.util.function.Function<String, DeviceIdentity> enrolling(int devices) throws Exception {
    Enrollment enrollment = new Enrollment(hub.url(), token);
    return enrollment.with(enrollment.fleetToken(Map.of(), devices));
  }

  /** The hub process this API talks to. */
  public JarProcess hub() {
    return hub;
  }

  /**
   * The environment of a hub on the test Mosquitto and PostgreSQL (a fresh schema), as a production
   * hub runs: external broker over mutual TLS, persistent ingest session, PostgreSQL.
   *
   * @param services from {@code Services.start("postgres")}
   * @param mosquitto the broker: the hub connects to its hub listener, with its device CA
   * @param schema a fresh schema name, also the suffix of the hub's MQTT client id and shared group
   * @param dataDir the hub's data directory
   * @param token the admin token
   * @return the environment
   */
  /**
   * PostgreSQL's port: {@code FERRY_PG_PORT} where a test put one (a proxy's), else the one in
   * services.sh's {@code FERRY_PG_URL} (its {@code FERRY_PG_PORT} setting, 15432 by default).
   */
  static String pgPort(Map<String, String> services) {
    return services.getOrDefault(
        "FERRY_PG_PORT",
        services
            .getOrDefault("FERRY_PG_URL", "jdbc:postgresql://127.0.0.1:15432/ferry")
            .replaceFirst("^jdbc:postgresql://[^:/]+:(\\d+)/.*$", "$1"));
  }

  /**
   * A hub on its embedded defaults (database, broker, registry), its broker's TLS listener on a
   * given port.
   */
  static Map<String, String> embedded(Path dataDir, String token, int mqttPort) {
    return Map.of(
        "FERRY_HUB_DATA_DIR",
        dataDir.toString(),
        "FERRY_HUB_BOOTSTRAP_TOKEN",
        token,
        "FERRY_HUB_MQTT_HOST",
        "127.0.0.1",
        "FERRY_HUB_MQTT_PORT",
        String.valueOf(mqttPort));
  }

  static Map<String, String> onPostgres(
      Map<String, String> services,
      SecureMosquitto mosquitto,
      String schema,
      Path dataDir,
      String token) {
    Map<String, String> env = new HashMap<>(mosquitto.hubEnv());
    env.put("FERRY_HUB_DATA_DIR", dataDir.toString());
    env.put("FERRY_HUB_BOOTSTRAP_TOKEN", token);
    env.put("FERRY_HUB_MQTT_CLIENT_ID", "hub-" + schema);
    // a shared group of its own: persistent sessions of earlier test hubs stay in the broker's
    // group and would take their share of every message (as a removed replica's would)
    env.put("FERRY_HUB_MQTT_SHARED_GROUP", "ferry-hub-" + schema);
    env.put(
        "FERRY_HUB_DB_URL",
        "jdbc:postgresql://127.0.0.1:" + pgPort(services) + "/ferry?currentSchema=" + schema);
    env.put("FERRY_HUB_DB_USERNAME", "ferry");
    env.put("FERRY_HUB_DB_PASSWORD", "ferry");
    env.put("QUARKUS_FLYWAY_POSTGRESQL_CREATE_SCHEMAS", "true");
    env.put("QUARKUS_FLYWAY_POSTGRESQL_SCHEMAS", schema);
    return env;
  }

  /**
   * The environment plus the JVM options of {@code -Dbench.hub.java-options=…} (a flight recording,
   * say), for benchmarks.
   */
  static Map<String, String> withBenchJavaOptions(Map<String, String> env) {
    Map<String, String> with = new HashMap<>(env);
    String javaOptions = System.getProperty("bench.hub.java-options");
    if (javaOptions != null) {
      with.put("JAVA_TOOL_OPTIONS", javaOptions);
    }
    return with;
  }

  /** Publishes a generated {@code [1,4] → [1,2]} model with curl's multipart upload. */
  public void publish(String model, String version, long seed, Path dir) throws Exception {
    Path file = dir.resolve(model + "-" + version + ".onnx");
    OnnxModels.matMulAdd(file, "x", 1, 4, 2, seed);
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                "Authorization: Bearer " + token,
                "-F",
                "model=@" + file,
                "-F",
                "version=" + version,
                hub.url() + "/api/v1/models/" + model + "/versions")
            .redirectErrorStream(true)
            .start();
    String status = new String(curl.getInputStream().readAllBytes()).strip();
    curl.waitFor(60, TimeUnit.SECONDS);
    assertEquals("201", status, "publish " + model + " " + version);
  }

  /**
   * Publishes a release of two variants of one linear model with curl's multipart form: FP32 for
   * CPU and FP16 for CUDA/TensorRT (the FP16 weights are exact, so both compute the same).
   *
   * @return the two model files by precision, {@code fp32} and {@code fp16}
   */
  Map<String, Path> publishVariants(String model, String version, long seed, Path dir)
      throws Exception {
    return publishTwo(model, version, seed, dir, "fp16-cuda", "CUDA;TENSORRT");
  }

  /**
   * Publishes a release of two variants of one linear model that both run on CPU: {@code fp32-cpu}
   * (FP32), then {@code fp16-cpu} (its weights stored in FP16 and cast to FP32 in the graph), so a
   * CPU device picks one by its precision preference.
   *
   * @return the two model files by precision, {@code fp32} and {@code fp16}
   */
  Map<String, Path> publishCpuVariants(String model, String version, long seed, Path dir)
      throws Exception {
    return publishTwo(model, version, seed, dir, "fp16-cpu", "CPU");
  }

  private Map<String, Path> publishTwo(
      String model, String version, long seed, Path dir, String halfName, String halfProviders)
      throws Exception {
    Path fp32 = dir.resolve(model + "-" + version + "-fp32.onnx");
    Path fp16 = dir.resolve(model + "-" + version + "-fp16.onnx");
    OnnxModels.matMulAdd(fp32, "x", 1, 4, 2, seed);
    OnnxModels.matMulAddHalf(fp16, "x", 1, 4, 2, seed);
    // --form-string for the variant fields, whose ';' curl would otherwise read as a part parameter
    Process curl =
        new ProcessBuilder(
                "curl",
                "-s",
                "-w",
                "\n%{http_code}",
                "-H",
                "Authorization: Bearer " + token,
                "--form-string",
                "variant=name=fp32-cpu,providers=CPU,precision=FP32",
                "-F",
                "variant.fp32-cpu.model=@" + fp32,
                "--form-string",
                "variant=name=" + halfName + ",providers=" + halfProviders + ",precision=FP16",
                "-F",
                "variant." + halfName + ".model=@" + fp16,
                "-F",
                "version=" + version,
                hub.url() + "/api/v1/models/" + model + "/versions")
            .redirectErrorStream(true)
            .start();
    String answer = new String(curl.getInputStream().readAllBytes()).strip();
    curl.waitFor(60, TimeUnit.SECONDS);
    assertTrue(answer.endsWith("\n201"), "publish " + model + " " + version + ": " + answer);
    return Map.of("fp32", fp32, "fp16", fp16);
  }

  /**
   * Rolls a release out.
   *
   * @param target the JSON members naming devices or a selector, and a strategy
   * @return the rollout's id
   */
  public String rollout(String model, String version, String target) throws Exception {
    HttpResponse<String> response =
        post(
            "/api/v1/rollouts",
            "{\"model\":\"" + model + "\",\"version\":\"" + version + "\"," + target + "}");
    assertEquals(201, response.statusCode(), response.body());
    return JSON.readValue(response.body(), Rollout.class).id();
  }

  /**
   * The newest rollout of a model as the list shows it (no per-device detail): cheap to ask for
   * often however many devices the rollout has, where {@link #rolloutState} reads every device's
   * report.
   */
  Rollout newestRollout(String model) throws Exception {
    HttpResponse<String> response = get("/api/v1/rollouts?limit=1&model=" + model);
    assertEquals(200, response.statusCode(), response.body());
    Rollout[] rollouts = JSON.readValue(response.body(), Rollout[].class);
    assertEquals(1, rollouts.length, response.body());
    return rollouts[0];
  }

  /** A rollout's state, wave and progress. */
  Rollout rolloutState(String id) throws Exception {
    HttpResponse<String> response = get("/api/v1/rollouts/" + id);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readValue(response.body(), Rollout.class);
  }

  /** Waits up to 180 s until a rollout meets a condition; returns it then. */
  Rollout awaitRollout(String id, java.util.function.Predicate<Rollout> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    Rollout rollout = rolloutState(id);
    while (!condition.test(rollout)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("rollout never " + what + ": " + rollout);
      }
      Thread.sleep(250);
      rollout = rolloutState(id);
    }
    return rollout;
  }

  /** Waits up to 60 s until the hub knows this many devices with a label {@code fleet=tag}. */
  void awaitFleet(String tag, int devices) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long known = 0;
    while (known != devices) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the hub knows " + known + " of " + devices + " devices");
      }
      Thread.sleep(200);
      HttpResponse<String> response = get("/api/v1/devices?size=1&selector=fleet=" + tag);
      known = Long.parseLong(response.headers().firstValue("X-Total-Count").orElse("0"));
    }
  }

  /** POSTs JSON. */
  public HttpResponse<String> post(String path, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(hub.url() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** What the fleet served with a model version in the last hour. */
  VersionMetrics metrics(String model, String version) throws Exception {
    HttpResponse<String> response =
        get("/api/v1/models/" + model + "/versions/" + version + "/metrics");
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readValue(response.body(), VersionMetrics.class);
  }

  /** The first page of the devices a label selector matches. */
  List<Device> devices(String selector) throws Exception {
    HttpResponse<String> response =
        get("/api/v1/devices?selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readValue(response.body(), new TypeReference<List<Device>>() {});
  }

  /** A device as the hub knows it, with its enrollment. */
  Device device(String id) throws Exception {
    HttpResponse<String> response = get("/api/v1/devices/" + id);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readValue(response.body(), Device.class);
  }

  /** Revokes a device (admin). */
  Device revoke(String id) throws Exception {
    HttpResponse<String> response = post("/api/v1/devices/" + id + "/revoke", "");
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readValue(response.body(), Device.class);
  }

  /** The hub's trust root. */
  TrustRoot trustRoot() throws Exception {
    JsonCodec codec = new JsonCodec();
    Envelope envelope =
        codec.decode(
            get("/api/v1/trust/root").body().getBytes(StandardCharsets.UTF_8), Envelope.class);
    return codec.decode(envelope.payloadBytes(), TrustRoot.class);
  }

  /** PUTs JSON. */
  public HttpResponse<String> put(String path, byte[] json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(hub.url() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs a path. */
  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(hub.url() + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
