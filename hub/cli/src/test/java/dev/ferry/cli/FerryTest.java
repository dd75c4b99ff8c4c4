package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.ThresholdVerifier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a fake hub: requests sent, tables and JSON printed, exit codes. */
class FerryTest {
  private static final String RELEASE =
      """
      {"name":"detector","version":"1.2.0","releaseSeq":3,"repository":"hub:8080/models/detector",\
      "manifestDigest":"sha256:0000000000000000000000000000000000000000000000000000000000000001",\
      "size":4711,"serving":null,"statement":null,"description":null,"license":null,\
      "createdBy":"ci","createdAt":"2026-12-04T10:00:00Z","state":"PUBLISHED","addedLater":true}\
      """;

  private static final String REPORTED =
      """
      {"schema":"ferry.reported/v1","deviceId":"edge-01","reportedAt":"2026-12-04T10:00:00Z",\
      "desiredSequence":7,"agentVersion":"0.1.0","labels":{},"executionProviders":["CPU"],\
      "models":[{"name":"detector","status":"ACTIVE","desiredVersion":"1.2.0","active":\
      {"version":"1.2.0","manifestDigest":\
      "sha256:0000000000000000000000000000000000000000000000000000000000000001",\
      "releaseSeq":3,"executionProvider":"CPU"}}]}\
      """;

  private static final String ENROLLMENT =
      """
      {"state":"ACCEPTED","tokenId":"t1","enrolledAt":"2026-12-04T09:00:00Z",\
      "acceptedAt":"2026-12-04T09:00:00Z","certificateSerial":"4f2a",\
      "certificateNotAfter":"2027-01-03T09:00:00Z","revokedAt":null}\
      """;

  private static final String DEVICE =
      "{\"id\":\"edge-01\",\"labels\":{\"site\":\"berlin\"},\"reportedLabels\":{},"
          + "\"hubLabels\":{},\"online\":true,\"lastSeen\":\"2026-12-04T10:00:00Z\",\"reported\":"
          + REPORTED
          + ",\"telemetry\":null,\"enrollment\":"
          + ENROLLMENT
          + "}";

  private static final String TOKEN =
      """
      {"id":"t1","token":"fet_secret","deviceId":null,"labels":{"site":"berlin"},\
      "expiresAt":"2026-12-05T10:00:00Z","usesLeft":3,"createdBy":"ops",\
      "createdAt":"2026-12-04T10:00:00Z"}\
      """;

  private final FakeHub hub;
  private Map<String, String> saved;

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  FerryTest() throws Exception {
    hub = new FakeHub();
  }

  @BeforeEach
  void useTheFakeHub() {
    saved = HubOptions.environment;
    HubOptions.environment =
        Map.of("FERRY_HUB_URL", hub.url() + "/", "FERRY_TOKEN", "fy_test", "FERRY_CONFIG", "/none");
  }

  @AfterEach
  void restore() {
    HubOptions.environment = saved;
    hub.close();
  }

  private static Result ferry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ferry.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void models_printsATableOfTheRecords_withTheToken() {
    hub.answer(
        "/api/v1/models",
        200,
        "[{\"name\":\"detector\",\"releases\":2,\"latestVersion\":\"1.2.0\","
            + "\"latestReleaseSeq\":3,\"createdAt\":\"2026-12-04T10:00:00Z\",\"owner\":\"x\"}]");
    Result models = ferry("models");
    assertEquals(0, models.code(), models.err());
    assertEquals(
        "NAME      LATEST  RELEASE SEQ  RELEASES  CREATED\n"
            + "detector  1.2.0   3            2         2026-12-04T10:00:00Z\n",
        models.out());
    assertEquals(
        new FakeHub.Request("GET", "/api/v1/models", "Bearer fy_test", null, ""), hub.last());
  }

  @Test
  void json_printsTheHubsAnswerAsSent_unknownFieldsIncluded() {
    hub.answer("/api/v1/models", 200, "[{\"name\":\"m\",\"owner\":\"x\"}]");
    Result models = ferry("models", "--json");
    assertEquals("[ {\n  \"name\" : \"m\",\n  \"owner\" : \"x\"\n} ]\n", models.out());
  }

  @Test
  void devices_showTheirLabelsAndTheModelsTheyReported() {
    hub.answer(
        "/api/v1/devices",
        200,
        "[{\"id\":\"edge-01\",\"labels\":{\"accel\":\"cpu\",\"site\":\"berlin\"},"
            + "\"reportedLabels\":{},\"hubLabels\":{},\"online\":true,"
            + "\"lastSeen\":\"2026-12-04T10:00:00Z\",\"reported\":"
            + REPORTED
            + ",\"telemetry\":null,\"enrollment\":"
            + ENROLLMENT
            + "},"
            + "{\"id\":\"edge-02\",\"labels\":{},\"reportedLabels\":{},\"hubLabels\":{},"
            + "\"online\":false,\"lastSeen\":null,\"reported\":null,\"telemetry\":null}]");
    Result devices = ferry("devices", "-l", "site=berlin", "--size", "2");
    assertEquals(0, devices.code(), devices.err());
    assertEquals(
        "ID       ONLINE  LAST SEEN             LABELS                 MODELS\n"
            + "edge-01  yes     2026-12-04T10:00:00Z  accel=cpu,site=berlin  detector@1.2.0 CPU"
            + " ACTIVE\n"
            + "edge-02  no      -                     -                      -\n",
        devices.out());
    assertEquals("/api/v1/devices?page=0&size=2&selector=site%3Dberlin", hub.last().uri());
  }

  @Test
  void events_areListedNewestFirstAsTheHubSendsThem() {
    hub.answer(
        "/api/v1/events",
        200,
        "[{\"id\":\"e1\",\"deviceId\":\"edge-01\",\"at\":\"2026-12-04T10:00:00Z\","
            + "\"type\":\"ACTIVATED\",\"desiredSequence\":7,\"model\":\"detector\","
            + "\"version\":\"1.2.0\"}]");
    Result events = ferry("events", "--model", "detector", "--limit", "5");
    assertEquals(0, events.code(), events.err());
    assertEquals(
        "AT                    DEVICE   TYPE       MODEL     VERSION  REASON\n"
            + "2026-12-04T10:00:00Z  edge-01  ACTIVATED  detector  1.2.0    -\n",
        events.out());
    assertEquals("/api/v1/events?limit=5&model=detector", hub.last().uri());
  }

  @Test
  void publish_uploadsTheFileAsMultipart_andPrintsTheRelease() throws Exception {
    hub.answer("/api/v1/models/detector/versions", 201, RELEASE);
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    Result published = ferry("publish", "detector", model.toString(), "--version", "1.2.0");
    assertEquals(0, published.code(), published.err());
    assertEquals(
        "NAME      VERSION  RELEASE SEQ  "
            + String.format("%-73s", "MANIFEST")
            + "SIZE  STATE\n"
            + "detector  1.2.0    3            sha256:"
            + "0".repeat(63)
            + "1  4711  PUBLISHED\n",
        published.out());
    FakeHub.Request sent = hub.last();
    assertTrue(
        sent.contentType().startsWith("multipart/form-data; boundary=ferry-"), sent.contentType());
    assertTrue(sent.body().contains("name=\"version\"\r\n\r\n1.2.0\r\n"), sent.body());
    assertTrue(sent.body().contains("name=\"model\"; filename=\"model.onnx\""), sent.body());
  }

  @Test
  void rolloutCreate_sendsTheStrategyTheOptionsName() {
    hub.answer("/api/v1/rollouts", 201, "{\"id\":\"r1\",\"state\":\"CREATED\"}");
    Result created =
        ferry(
            "rollout",
            "create",
            "--model",
            "detector",
            "--version",
            "1.2.0",
            "--device",
            "a",
            "--device",
            "b",
            "--waves",
            "1,100%",
            "--no-auto-advance",
            "--min-requests",
            "10",
            "--start-at",
            "2026-12-24T06:00:00Z",
            "--prefetch");
    assertEquals(0, created.code(), created.err());
    assertEquals(
        "{\"model\":\"detector\",\"version\":\"1.2.0\",\"devices\":[\"a\",\"b\"],\"strategy\":"
            + "{\"waves\":[\"1\",\"100%\"],\"metricGates\":{\"minRequests\":10},"
            + "\"autoAdvance\":false,\"startAt\":\"2026-12-24T06:00:00Z\",\"prefetch\":true}}",
        hub.last().body());
  }

  @Test
  void rolloutStatus_printsItsWaves_andAWaitedRolloutThatFailedExitsWith7() {
    hub.answer(
        "/api/v1/rollouts/r1",
        200,
        "{\"id\":\"r1\",\"model\":\"detector\",\"version\":\"1.2.0\",\"state\":\"FAILED\","
            + "\"wave\":1,\"waves\":2,\"reason\":\"canary failed\",\"waveProgress\":"
            + "[{\"wave\":1,\"devices\":1,\"progress\":{\"FAILED\":1}}]}");
    String shown =
        "rollout r1: detector 1.2.0, FAILED, wave 1 of 2\n"
            + "  canary failed\n"
            + "WAVE  DEVICES  PROGRESS\n"
            + "1     1        FAILED=1\n";
    assertEquals(new Result(0, shown, ""), ferry("rollout", "status", "r1"));
    assertEquals(
        new Result(Ferry.ROLLOUT_NOT_SUCCEEDED, shown, ""),
        ferry("rollout", "status", "r1", "--wait"));
  }

  @Test
  void rolloutStatus_namesTheInterfaceChangesItsDevicesLocalClientsSee() {
    hub.answer(
        "/api/v1/rollouts/r5",
        200,
        "{\"id\":\"r5\",\"model\":\"detector\",\"version\":\"2.0.0\",\"state\":\"RUNNING\","
            + "\"wave\":1,\"waves\":1,\"interfaceChanges\":["
            + "{\"from\":\"1.2.0\",\"devices\":40,\"changes\":[\"input 'x' has shape [1, 6],"
            + " was [1, 4]\",\"output 'y' is gone\"]},"
            + "{\"from\":\"1.3.0\",\"devices\":1,\"changes\":[\"output 'y' is gone\"]}]}");
    assertEquals(
        new Result(
            0,
            "rollout r5: detector 2.0.0, RUNNING, wave 1 of 1\n"
                + "  interface changed for the local clients of 40 devices assigned 1.2.0: input"
                + " 'x' has shape [1, 6], was [1, 4]; output 'y' is gone\n"
                + "  interface changed for the local clients of 1 device assigned 1.3.0: output"
                + " 'y' is gone\n",
            ""),
        ferry("rollout", "status", "r5"));
  }

  @Test
  void rolloutStatus_ofARolloutThatPrefetches_countsTheDevicesWithTheReleaseCached() {
    hub.answer(
        "/api/v1/rollouts/r3",
        200,
        "{\"id\":\"r3\",\"model\":\"detector\",\"version\":\"1.2.0\",\"state\":\"PAUSED\","
            + "\"wave\":1,\"waves\":2,\"waveProgress\":"
            + "[{\"wave\":1,\"devices\":1,\"progress\":{\"ACTIVE\":1},\"prefetched\":0},"
            + "{\"wave\":2,\"devices\":40,\"progress\":{\"WAITING\":40},\"prefetched\":38}]}");
    assertEquals(
        new Result(
            0,
            "rollout r3: detector 1.2.0, PAUSED, wave 1 of 2\n"
                + "WAVE  DEVICES  PREFETCHED  PROGRESS\n"
                + "1     1        0           ACTIVE=1\n"
                + "2     40       38          WAITING=40\n",
            ""),
        ferry("rollout", "status", "r3"));
  }

  @Test
  void rolloutStatus_namesTheDevicesThatHoldItBack_andWhy() {
    StringBuilder devices = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      devices
          .append(",{\"id\":\"edge-")
          .append(String.format("%02d", i))
          .append("\",\"wave\":2,\"state\":\"ASSIGNED\",\"online\":false")
          .append(i == 12 ? "" : ",\"lastSeen\":\"2026-12-07T05:22:16Z\"")
          .append("}");
    }
    hub.answer(
        "/api/v1/rollouts/r4",
        200,
        "{\"id\":\"r4\",\"model\":\"detector\",\"version\":\"1.2.0\",\"state\":\"RUNNING\","
            + "\"wave\":2,\"waves\":2,\"reason\":\"wave 2 of 2: 1 of 14 devices ACTIVE, 14 needed\","
            + "\"waveProgress\":[{\"wave\":1,\"devices\":2,\"progress\":{\"ACTIVE\":1,"
            + "\"FAILED\":1}},{\"wave\":2,\"devices\":13,\"progress\":{\"ASSIGNED\":13},"
            + "\"offline\":12}],"
            + "\"devices\":[{\"id\":\"edge-00\",\"wave\":1,\"state\":\"ACTIVE\",\"online\":false},"
            + "{\"id\":\"edge-a\",\"wave\":1,\"state\":\"FAILED\",\"online\":true,"
            + "\"reason\":\"GOLDEN_MISMATCH: y\"},"
            + "{\"id\":\"edge-b\",\"wave\":2,\"state\":\"ASSIGNED\",\"online\":true,"
            + "\"reason\":\"UNAVAILABLE: registry; retrying\"}"
            + devices
            + "]}");
    StringBuilder named = new StringBuilder();
    for (int i = 1; i <= 8; i++) {
      named.append(
          String.format("edge-%02d  2     ASSIGNED  offline since 2026-12-07T05:22:16Z%n", i));
    }
    assertEquals(
        new Result(
            0,
            "rollout r4: detector 1.2.0, RUNNING, wave 2 of 2\n"
                + "  wave 2 of 2: 1 of 14 devices ACTIVE, 14 needed\n"
                + "WAVE  DEVICES  PROGRESS           OFFLINE\n"
                + "1     2        ACTIVE=1,FAILED=1  -\n"
                + "2     13       ASSIGNED=13        12\n"
                + "DEVICE   WAVE  STATE     WHY\n"
                + "edge-a   1     FAILED    GOLDEN_MISMATCH: y\n"
                + "edge-b   2     ASSIGNED  UNAVAILABLE: registry; retrying\n"
                + named
                + "\nand 4 more (--json lists every device)\n",
            ""),
        ferry("rollout", "status", "r4"));
  }

  @Test
  void rolloutStatus_printsWhatEachVariantServed() {
    hub.answer(
        "/api/v1/rollouts/r2",
        200,
        "{\"id\":\"r2\",\"model\":\"detector\",\"version\":\"2.0.0\",\"state\":\"PAUSED\","
            + "\"wave\":1,\"waves\":1,\"reason\":\"metric gate\",\"metrics\":["
            + "{\"version\":\"1.0.0\",\"provider\":\"\",\"requests\":7,\"errors\":0,"
            + "\"errorRate\":0.0},"
            + "{\"version\":\"2.0.0\",\"provider\":\"CPU\",\"variant\":\"fp16-cpu\","
            + "\"requests\":40,\"errors\":16,\"errorRate\":0.4,\"p99Millis\":5.0},"
            + "{\"version\":\"2.0.0\",\"provider\":\"CPU\",\"variant\":\"fp32-cpu\","
            + "\"requests\":30,\"errors\":0,\"errorRate\":0.0,\"p99Millis\":2.5}]}");
    assertEquals(
        new Result(
            0,
            "rollout r2: detector 2.0.0, PAUSED, wave 1 of 1\n"
                + "  metric gate\n"
                + "VERSION  PROVIDER  VARIANT   REQUESTS  ERRORS  ERROR RATE  P99 MS\n"
                + "1.0.0    -         -         7         0       0.00%       -\n"
                + "2.0.0    CPU       fp16-cpu  40        16      40.00%      5.0\n"
                + "2.0.0    CPU       fp32-cpu  30        0       0.00%       2.5\n",
            ""),
        ferry("rollout", "status", "r2"));
  }

  @Test
  void hubErrors_printTheirMessage_andExitWithTheirCode() {
    hub.answer(
        "/api/v1/models", 409, "{\"code\":\"CONFLICT\",\"message\":\"exists\",\"details\":{}}");
    assertEquals(new Result(Ferry.CONFLICT, "", "ferry: 409 exists\n"), ferry("models"));
    hub.answer("/api/v1/models", 401, "{\"code\":\"UNAUTHENTICATED\",\"message\":\"no token\"}");
    assertEquals(Ferry.UNAUTHORIZED, ferry("models").code());
    hub.answer("/api/v1/models", 413, "too large");
    assertEquals(new Result(Ferry.REFUSED, "", "ferry: 413 too large\n"), ferry("models"));
    hub.answer("/api/v1/models", 502, "");
    assertEquals(Ferry.UNAVAILABLE, ferry("models").code());
    assertEquals(Ferry.NOT_FOUND, ferry("rollout", "status", "nope").code());
  }

  @Test
  void anAnswerOfTheWrongShape_isNamed() {
    hub.answer("/api/v1/models", 200, "{\"name\":\"m\"}");
    Result models = ferry("models");
    assertEquals(Ferry.UNAVAILABLE, models.code());
    assertTrue(
        models
            .err()
            .startsWith("ferry: the hub's answer does not read as a list of ModelSummary: "),
        models.err());
  }

  @Test
  void anUnreachableHub_andABadCommandLine_haveTheirOwnCodes() {
    Result away = ferry("models", "--hub", "http://127.0.0.1:9");
    assertEquals(
        new Result(Ferry.UNAVAILABLE, "", "ferry: cannot reach the hub at http://127.0.0.1:9\n"),
        away);
    assertEquals(Ferry.USAGE, ferry("rollout", "create", "--model", "m").code());
    assertEquals(Ferry.USAGE, ferry("launch").code());
  }

  @Test
  void aHubUrlWithoutScheme_andAFileThatIsNotThere_areBadCommandLines_withoutAStackTrace() {
    assertEquals(
        new Result(
            Ferry.USAGE,
            "",
            "ferry: the hub's URL 'hub:8080' (--hub, FERRY_HUB_URL or 'hub' in the config file)"
                + " is not an http:// or https:// URL with a host, as https://hub.example.com\n"),
        ferry("models", "--hub", "hub:8080"));

    Path absent = dir.resolve("absent.onnx");
    assertEquals(
        new Result(Ferry.USAGE, "", "ferry: " + absent + ": no such file\n"),
        ferry("publish", "detector", absent.toString(), "--version", "1.0.0"));
    assertEquals(
        new Result(Ferry.USAGE, "", "ferry: " + dir + ": a directory, not a file\n"),
        ferry("publish", "detector", dir.toString(), "--version", "1.0.0"));
  }

  @Test
  void releaseRenew_postsToTheHub_andPrintsTheReleasesSignedAgain() {
    hub.answer("/api/v1/trust/statements/renew", 200, "[" + RELEASE + "]");
    Result renewed = ferry("release", "renew");
    assertEquals(0, renewed.code(), renewed.err());
    assertEquals(
        "NAME      VERSION  RELEASE SEQ  MANIFEST\n"
            + "detector  1.2.0    3            sha256:"
            + "0".repeat(63)
            + "1\n\nsigned again; the desired states that assign them follow\n",
        renewed.out());
    assertEquals("POST", hub.last().method());
    assertEquals("/api/v1/trust/statements/renew", hub.last().uri());

    hub.answer(
        "/api/v1/trust/statements/renew",
        409,
        "{\"code\":\"CONFLICT\",\"message\":\"the release key is offline\"}");
    assertEquals(
        new Result(Ferry.CONFLICT, "", "ferry: 409 the release key is offline\n"),
        ferry("release", "renew"));
  }

  @Test
  void releaseRevoke_postsTheReason_andPrintsTheRevokedRelease() {
    hub.answer(
        "/api/v1/models/detector/versions/1.2.0/revoke",
        200,
        RELEASE.replace(
            "\"addedLater\":true",
            "\"revoked\":{\"revokedAt\":\"2026-12-05T08:00:00Z\",\"reason\":\"misreads\","
                + "\"revokedBy\":\"ops\"}"));
    Result revoked = ferry("release", "revoke", "detector", "1.2.0", "--reason", "misreads");
    assertEquals(0, revoked.code(), revoked.err());
    assertEquals(
        "NAME      VERSION  REVOKED               BY   REASON\n"
            + "detector  1.2.0    2026-12-05T08:00:00Z  ops  misreads\n",
        revoked.out());
    assertEquals(
        new FakeHub.Request(
            "POST",
            "/api/v1/models/detector/versions/1.2.0/revoke",
            "Bearer fy_test",
            "application/json",
            "{\"reason\":\"misreads\"}"),
        hub.last());

    hub.answer(
        "/api/v1/models/detector/versions/1.2.0/revoke",
        409,
        "{\"code\":\"CONFLICT\",\"message\":\"model 'detector' version '1.2.0' was revoked\"}");
    assertEquals(
        new Result(Ferry.CONFLICT, "", "ferry: 409 model 'detector' version '1.2.0' was revoked\n"),
        ferry("release", "revoke", "detector", "1.2.0", "--reason", "again"));
    assertEquals(Ferry.USAGE, ferry("release", "revoke", "detector", "1.2.0").code());
  }

  @Test
  void publish_sendsTheExpiryItIsGiven() throws Exception {
    hub.answer("/api/v1/models/detector/versions", 201, RELEASE);
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    Result published =
        ferry(
            "publish",
            "detector",
            model.toString(),
            "--version",
            "1.2.0",
            "--expires-at",
            "2027-01-31T00:00:00Z");
    assertEquals(0, published.code(), published.err());
    assertTrue(
        hub.last().body().contains("name=\"expiresAt\"\r\n\r\n2027-01-31T00:00:00Z\r\n"),
        hub.last().body());
  }

  @Test
  void publish_sendsInterfaceChangeOnlyWhenAsked() throws Exception {
    hub.answer("/api/v1/models/detector/versions", 201, RELEASE);
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    assertEquals(0, ferry("publish", "detector", model.toString(), "--version", "1.2.0").code());
    assertFalse(hub.last().body().contains("interfaceChange"), hub.last().body());
    Result published =
        ferry("publish", "detector", model.toString(), "--version", "1.3.0", "--interface-change");
    assertEquals(0, published.code(), published.err());
    assertTrue(
        hub.last().body().contains("name=\"interfaceChange\"\r\n\r\ntrue\r\n"), hub.last().body());
  }

  @Test
  void publish_sendsTheSessionHintsFile() throws Exception {
    hub.answer("/api/v1/models/detector/versions", 201, RELEASE);
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    Path hints = Files.writeString(dir.resolve("hints.json"), "{\"intraOpThreads\":2}");
    Result published =
        ferry(
            "publish",
            "detector",
            model.toString(),
            "--version",
            "1.2.0",
            "--session-hints",
            hints.toString());
    assertEquals(0, published.code(), published.err());
    assertTrue(
        hub.last().body().contains("name=\"sessionHints\"\r\n\r\n{\"intraOpThreads\":2}\r\n"),
        hub.last().body());
  }

  @Test
  void publish_sendsEachVariantAsAFieldWithItsFiles() throws Exception {
    hub.answer("/api/v1/models/detector/versions", 201, RELEASE);
    Path fp32 = Files.write(dir.resolve("fp32.onnx"), new byte[] {1, 2, 3});
    Path fp16 = Files.write(dir.resolve("fp16.onnx"), new byte[] {4, 5});
    Path golden = Files.writeString(dir.resolve("golden-fp16.json"), "{}");
    Result published =
        ferry(
            "publish",
            "detector",
            "--version",
            "1.2.0",
            "--variant",
            "name=fp32-cpu,providers=CPU,precision=FP32,file=" + fp32,
            "--variant",
            "name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16,file="
                + fp16
                + ",golden="
                + golden);
    assertEquals(0, published.code(), published.err());
    String body = hub.last().body();
    assertTrue(
        body.contains("name=\"variant\"\r\n\r\nname=fp32-cpu,providers=CPU,precision=FP32\r\n"),
        body);
    assertTrue(
        body.contains(
            "name=\"variant\"\r\n\r\nname=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16\r\n"),
        body);
    assertTrue(body.contains("name=\"variant.fp32-cpu.model\"; filename=\"fp32.onnx\""), body);
    assertTrue(body.contains("name=\"variant.fp16-cuda.model\"; filename=\"fp16.onnx\""), body);
    assertTrue(
        body.contains("name=\"variant.fp16-cuda.golden\"; filename=\"golden-fp16.json\""), body);
    assertTrue(!body.contains("name=\"model\""), body);
  }

  @Test
  void publish_wantsAModelOrVariantsNotBoth() throws Exception {
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    Result both =
        ferry(
            "publish",
            "detector",
            model.toString(),
            "--version",
            "1.2.0",
            "--variant",
            "name=a,precision=FP32,file=" + model);
    assertEquals(Ferry.USAGE, both.code());
    assertTrue(
        both.err().contains("give MODEL.onnx or --variant options, one of the two"), both.err());
    Result noFile =
        ferry("publish", "detector", "--version", "1.2.0", "--variant", "name=a,precision=FP32");
    assertEquals(Ferry.USAGE, noFile.code());
    assertTrue(noFile.err().contains("--variant needs name=… and file=…"), noFile.err());
  }

  @Test
  void help_namesEveryCommand() {
    Result help = ferry("--help");
    assertEquals(0, help.code());
    for (String command :
        new String[] {"publish", "models", "rollout", "devices", "enrollment-token", "events"}) {
      assertTrue(help.out().contains("\n  " + command + " "), command + " in " + help.out());
    }
  }

  @Test
  void devicesShow_printsTheEnrollmentAndTheCertificatesExpiry() {
    hub.answer("/api/v1/devices/edge-01", 200, DEVICE);
    Result shown = ferry("devices", "show", "edge-01");
    assertEquals(0, shown.code(), shown.err());
    assertEquals(
        "DEVICE            edge-01\n"
            + "online            yes\n"
            + "last seen         2026-12-04T10:00:00Z\n"
            + "labels            site=berlin\n"
            + "enrollment        ACCEPTED\n"
            + "enrolled          2026-12-04T09:00:00Z\n"
            + "accepted          2026-12-04T09:00:00Z\n"
            + "certificate       4f2a\n"
            + "expires           2027-01-03T09:00:00Z\n"
            + "revoked           -\n"
            + "models            detector@1.2.0 CPU ACTIVE\n"
            + "root version      -\n"
            + "freshness         -\n"
            + "revoked releases  -\n",
        shown.out());
    assertEquals(
        new FakeHub.Request("GET", "/api/v1/devices/edge-01", "Bearer fy_test", null, ""),
        hub.last());
  }

  @Test
  void devicesShow_saysWhyAModelWaits() {
    String retrying =
        REPORTED
            .replace(
                "\"status\":\"ACTIVE\",\"desiredVersion\":\"1.2.0\"",
                "\"status\":\"PENDING\",\"desiredVersion\":\"1.3.0\"")
            .replace("}}]}", "},\"reason\":\"UNAVAILABLE: registry; retrying\"}]}");
    hub.answer("/api/v1/devices/edge-01", 200, DEVICE.replace(REPORTED, retrying));
    Result shown = ferry("devices", "show", "edge-01");
    assertEquals(0, shown.code(), shown.err());
    assertTrue(
        shown
            .out()
            .contains(
                "models            detector@1.2.0 CPU PENDING\n"
                    + "waiting           detector 1.3.0: UNAVAILABLE: registry; retrying\n"),
        shown.out());
  }

  @Test
  void devicesShow_printsTheTrustTheDeviceReported_aStaleOneSinceItsStaleEvent() {
    String reported =
        REPORTED.replace(
            "\"models\":",
            "\"rootVersion\":2,\"freshness\":\"STALE\",\"revoked\":[\"detector@1.1.0\"],"
                + "\"models\":");
    hub.answer("/api/v1/devices/edge-01", 200, DEVICE.replace(REPORTED, reported));
    hub.answer(
        "/api/v1/events",
        200,
        "[{\"id\":\"e2\",\"deviceId\":\"edge-01\",\"at\":\"2026-12-04T09:30:00Z\","
            + "\"type\":\"REVOKED\",\"desiredSequence\":7},"
            + "{\"id\":\"e1\",\"deviceId\":\"edge-01\",\"at\":\"2026-12-04T09:00:00Z\","
            + "\"type\":\"STALE\",\"desiredSequence\":7}]");
    Result shown = ferry("devices", "show", "edge-01");
    assertEquals(0, shown.code(), shown.err());
    assertTrue(
        shown
            .out()
            .endsWith(
                "root version      2\n"
                    + "freshness         STALE since 2026-12-04T09:00:00Z\n"
                    + "revoked releases  detector@1.1.0\n"),
        shown.out());
    assertEquals("/api/v1/events?limit=1000&device=edge-01", hub.last().uri());

    hub.answer(
        "/api/v1/devices/edge-01",
        200,
        DEVICE.replace(REPORTED, reported.replace("\"STALE\"", "\"FRESH\"")));
    assertTrue(
        ferry("devices", "show", "edge-01")
            .out()
            .contains("\nfreshness         FRESH (reported 2026-12-04T10:00:00Z)\n"));
  }

  @Test
  void publish_ofAHubWithTheReleaseKeyOffline_printsThePendingReleaseAndTheStepsToSignIt()
      throws Exception {
    hub.answer(
        "/api/v1/models/detector/versions",
        202,
        RELEASE.replace("\"PUBLISHED\"", "\"PENDING_SIGNATURE\""));
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    Result published = ferry("publish", "detector", model.toString(), "--version", "1.2.0");
    assertEquals(0, published.code(), published.err());
    assertTrue(
        published
            .out()
            .endsWith(
                "1  4711  PENDING_SIGNATURE\n"
                    + "\n"
                    + "the hub's release key is offline; to publish:\n"
                    + "  ferry release statement detector 1.2.0 --out statement.json\n"
                    + "  ferry release sign statement.json --key RELEASE-KEY.pem --out"
                    + " statement.dsse.json\n"
                    + "  ferry release attach detector 1.2.0 statement.dsse.json\n"),
        published.out());
  }

  @Test
  void releaseStatement_writesTheHubsBytesUnchanged_andAttachPutsTheEnvelope() throws Exception {
    KeyPair key = Ed25519.generate();
    Digest digest = Digest.of(new byte[] {1});
    byte[] statement =
        new JsonCodec()
            .encode(
                ReleaseStatement.of(
                    "hub:8080/models/detector",
                    digest,
                    ReleasePredicate.lasting(
                        "detector",
                        "1.2.0",
                        3,
                        Instant.parse("2026-12-04T10:00:00Z"),
                        digest,
                        digest)));
    String text = new String(statement, StandardCharsets.UTF_8);
    hub.answer("/api/v1/models/detector/versions/1.2.0/statement", 200, text);
    Path out = dir.resolve("statement.json");
    Result fetched = ferry("release", "statement", "detector", "1.2.0", "--out", out.toString());
    assertEquals(0, fetched.code(), fetched.err());
    assertEquals(out + ": the statement of detector@1.2.0 to sign\n", fetched.out());
    assertArrayEquals(statement, Files.readAllBytes(out));

    Path pem = Files.writeString(dir.resolve("release.pem"), Ed25519.toPem(key));
    Path signed = dir.resolve("statement.dsse.json");
    assertEquals(
        0,
        ferry(
                "release",
                "sign",
                out.toString(),
                "--key",
                pem.toString(),
                "--out",
                signed.toString())
            .code());
    hub.answer("/api/v1/models/detector/versions/1.2.0/signature", 200, RELEASE);
    Result attached = ferry("release", "attach", "detector", "1.2.0", signed.toString());
    assertEquals(0, attached.code(), attached.err());
    assertTrue(attached.out().contains("PUBLISHED"), attached.out());
    FakeHub.Request sent = hub.last();
    assertEquals("PUT", sent.method());
    assertEquals("/api/v1/models/detector/versions/1.2.0/signature", sent.uri());
    assertEquals(Files.readString(signed).replaceAll("\\s", ""), sent.body().replaceAll("\\s", ""));
  }

  @Test
  void releaseRevoke_withTheKey_signsThePendingListUnchanged_andPutsIt() throws Exception {
    KeyPair key = Ed25519.generate();
    Path pem = Files.writeString(dir.resolve("release.pem"), Ed25519.toPem(key));
    JsonCodec codec = new JsonCodec();
    byte[] list =
        codec.encode(new Revocations(4, Instant.parse("2026-12-05T08:00:00Z"), null, List.of()));
    hub.answer("/api/v1/models/detector/versions/1.2.0/revoke", 202, RELEASE);
    hub.answer("/api/v1/trust/revocations/pending", 200, new String(list, StandardCharsets.UTF_8));
    hub.answer("/api/v1/trust/revocations", 200, "{}");

    Result revoked =
        ferry(
            "release",
            "revoke",
            "detector",
            "1.2.0",
            "--reason",
            "misreads",
            "--key",
            pem.toString());
    assertEquals(0, revoked.code(), revoked.err());
    String keyId = new Signer(key).keyId();
    assertEquals("revocation list version 4 signed by release key " + keyId + "\n", revoked.err());
    FakeHub.Request sent = hub.last();
    assertEquals("PUT", sent.method());
    assertEquals("/api/v1/trust/revocations", sent.uri());
    Envelope envelope = codec.decode(sent.body().getBytes(StandardCharsets.UTF_8), Envelope.class);
    assertArrayEquals(
        list,
        new ThresholdVerifier("release", Map.of(keyId, key.getPublic()), 1)
            .verify(envelope, PayloadTypes.REVOCATIONS));
  }

  @Test
  void devicesShow_ofADeviceThatNeverEnrolled_saysSo() {
    hub.answer(
        "/api/v1/devices/edge-02",
        200,
        "{\"id\":\"edge-02\",\"labels\":{},\"online\":false,\"enrollment\":null}");
    assertEquals(
        "DEVICE      edge-02\n"
            + "online      no\n"
            + "last seen   -\n"
            + "labels      -\n"
            + "enrollment  not enrolled\n"
            + "models      -\n",
        ferry("devices", "show", "edge-02").out());
  }

  @Test
  void devicesAcceptAndRevoke_postToTheDevice_andShowIt() {
    hub.answer("/api/v1/devices/edge-01/accept", 200, DEVICE);
    Result accepted = ferry("devices", "accept", "edge-01");
    assertEquals(0, accepted.code(), accepted.err());
    assertTrue(accepted.out().contains("\nenrollment        ACCEPTED\n"), accepted.out());
    assertEquals(
        new FakeHub.Request(
            "POST", "/api/v1/devices/edge-01/accept", "Bearer fy_test", "application/json", "{}"),
        hub.last());

    hub.answer(
        "/api/v1/devices/edge-01/revoke", 200, DEVICE.replace("\"ACCEPTED\"", "\"REVOKED\""));
    assertTrue(
        ferry("devices", "revoke", "edge-01").out().contains("\nenrollment        REVOKED\n"));
    assertEquals("/api/v1/devices/edge-01/revoke", hub.last().uri());

    hub.answer(
        "/api/v1/devices/edge-01/accept",
        409,
        "{\"code\":\"CONFLICT\",\"message\":\"device 'edge-01' is ACCEPTED, not PENDING\"}");
    assertEquals(
        new Result(Ferry.CONFLICT, "", "ferry: 409 device 'edge-01' is ACCEPTED, not PENDING\n"),
        ferry("devices", "accept", "edge-01"));
  }

  @Test
  void enrollmentTokenCreate_sendsItsOptions_andPrintsTheTokenAlone() {
    hub.answer("/api/v1/enrollment-tokens", 201, TOKEN);
    Result created =
        ferry(
            "enrollment-token",
            "create",
            "--label",
            "site=berlin",
            "--label",
            "accel=cpu",
            "--expires-in",
            "PT2H",
            "--uses",
            "3");
    assertEquals(
        new Result(
            0,
            "fet_secret\n",
            "enrollment token t1: any device, 3 use(s), expires 2026-12-05T10:00:00Z;"
                + " the token is shown only now\n"),
        created);
    assertEquals(
        new FakeHub.Request(
            "POST",
            "/api/v1/enrollment-tokens",
            "Bearer fy_test",
            "application/json",
            "{\"labels\":{\"site\":\"berlin\",\"accel\":\"cpu\"},\"expiresIn\":\"PT2H\",\"uses\":3}"),
        hub.last());

    ferry("enrollment-token", "create", "--device", "edge-07");
    assertEquals("{\"deviceId\":\"edge-07\"}", hub.last().body());
  }

  @Test
  void enrollmentTokenList_showsTheTokensWithoutSecrets() {
    hub.answer(
        "/api/v1/enrollment-tokens", 200, "[" + TOKEN.replace("\"fet_secret\"", "null") + "]");
    Result listed = ferry("enrollment-token", "list");
    assertEquals(0, listed.code(), listed.err());
    assertEquals(
        "ID  DEVICE  LABELS       USES LEFT  EXPIRES               CREATED BY  CREATED\n"
            + "t1  -       site=berlin  3          2026-12-05T10:00:00Z  ops        "
            + " 2026-12-04T10:00:00Z\n",
        listed.out());
  }

  @Test
  void enrollmentTokenDelete_sendsADelete() {
    hub.answer("/api/v1/enrollment-tokens/t1", 204, "");
    assertEquals(
        new Result(0, "deleted enrollment token t1\n", ""),
        ferry("enrollment-token", "delete", "t1"));
    assertEquals(
        new FakeHub.Request("DELETE", "/api/v1/enrollment-tokens/t1", "Bearer fy_test", null, ""),
        hub.last());
    assertEquals(Ferry.NOT_FOUND, ferry("enrollment-token", "delete", "t2").code());
  }
}
