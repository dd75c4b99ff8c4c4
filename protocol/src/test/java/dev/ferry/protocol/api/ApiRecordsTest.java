package dev.ferry.protocol.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.protocol.Samples;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.testing.RecordContract;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record of the hub's REST API: JSON round trip, unknown fields ignored, wrong types named.
 */
class ApiRecordsTest extends RecordContract {
  private static final Instant T0 = Samples.T0;

  @Override
  protected String unknownField() {
    return "addedInALaterHub";
  }

  static Release release() {
    return new Release(
        "ocr-det",
        "1.2.0",
        3,
        "127.0.0.1:5000/models/ocr-det",
        Samples.digest("manifest"),
        4711,
        Samples.serving(),
        Samples.releaseEnvelope(),
        "finds text",
        "Apache-2.0",
        "ci",
        T0,
        new ReleaseRevocation(T0.plusSeconds(60), "misreads receipts", "ci"),
        List.of(),
        "PUBLISHED");
  }

  static DeviceTelemetry deviceTelemetry() {
    return new DeviceTelemetry(42, T0, 1, encoded(Samples.deviceMetrics()));
  }

  static Device device() {
    return new Device(
        "edge-01",
        Map.of("site", "berlin", "accel", "cpu"),
        Map.of("site", "munich", "accel", "cpu"),
        Map.of("site", "berlin"),
        true,
        T0,
        encoded(Samples.reported()),
        deviceTelemetry(),
        IdentityApiRecordsTest.enrollment());
  }

  static VersionMetrics.Bucket bucket() {
    return new VersionMetrics.Bucket(T0, 16, 1, 5.0);
  }

  static VersionMetrics versionMetrics() {
    return VersionMetrics.of(
        "ocr-det",
        "1.2.0",
        T0,
        T0.plusSeconds(3600),
        16,
        1,
        Map.of("invalid_input", 1L),
        Samples.histogram(),
        List.of(bucket()));
  }

  static List<Case> cases() {
    return List.of(
        new Case(
            new ApiError("CONFLICT", "version 1.2.0 exists", Map.of("field", "version")),
            "message",
            number(5),
            "ApiError: message must be a string, got 5"),
        new Case(
            new ModelSummary("ocr-det", 2, "1.2.0", 3, T0),
            "releases",
            text("x"),
            "ModelSummary: releases must be an integer, got the string 'x'"),
        new Case(
            new ModelDetail("ocr-det", List.of(release())),
            "releases",
            object(),
            "ModelDetail: releases must be an array, got an object"),
        new Case(
            new ReleaseRevocation(T0, "misreads receipts", "ci"),
            "reason",
            number(5),
            "ReleaseRevocation: reason must be a string, got 5"),
        new Case(
            new RevokeRequest("misreads receipts"),
            "reason",
            number(5),
            "RevokeRequest: reason must be a string, got 5"),
        new Case(
            release(),
            "size",
            text("big"),
            "Release: size must be an integer, got the string 'big'"),
        new Case(
            device(),
            "online",
            text("yes"),
            "Device: online must be a boolean, got the string 'yes'"),
        new Case(
            deviceTelemetry(),
            "lastSeq",
            number(1.5),
            "DeviceTelemetry: lastSeq must be an integer, got 1.5"),
        new Case(
            new DeviceLabels(Map.of("site", "berlin")),
            "labels",
            array(),
            "DeviceLabels: labels must be an object, got an array"),
        new Case(
            new TokenRequest("ci", "release-manager"),
            "name",
            number(5),
            "TokenRequest: name must be a string, got 5"),
        new Case(
            new IssuedToken("ci", "viewer", "fy_secret", T0, T0.plusSeconds(3600)),
            "createdAt",
            text("yesterday"),
            "IssuedToken: createdAt must be an RFC 3339 timestamp, got 'yesterday'"),
        new Case(
            new TokenInfo("ci", "admin", T0, T0.plusSeconds(60)),
            "role",
            number(7),
            "TokenInfo: role must be a string, got 7"),
        new Case(
            new AuditEntry(9, T0, "ci", "POST /api/v1/tokens", "/api/v1/tokens", "201"),
            "id",
            text("1"),
            "AuditEntry: id must be an integer, got the string '1'"),
        new Case(
            versionMetrics(),
            "errorRate",
            text("high"),
            "VersionMetrics: errorRate must be a number, got the string 'high'"),
        new Case(
            VariantSummary.of(Samples.releaseVariant()),
            "goldenCheck",
            text("LATER"),
            "VariantSummary: goldenCheck must be one of [AT_PUBLISH, ON_DEVICE], got 'LATER'"),
        new Case(
            bucket(),
            "requests",
            text("many"),
            "Bucket: requests must be an integer, got the string 'many'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decode_survivesMutatedBytes(Case c) {
    int rejected = 0;
    for (byte[] mutated : mutations(CODEC.encode(c.sample()))) {
      try {
        CODEC.decode(mutated, c.sample().getClass());
      } catch (MalformedMessageException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        rejected++;
      }
    }
    assertTrue(rejected > 0, "no mutation of " + c + " was rejected");
  }

  @Test
  void rawJsonFields_areSentAsJsonObjects() throws IOException {
    JsonNode device = JSON.readTree(CODEC.encode(device()));
    assertEquals("edge-01", device.get("reported").get("deviceId").asText());
    assertTrue(device.get("telemetry").get("metrics").isObject());
  }

  @Test
  void release_listsVariantsOnlyWhenItHasSome() {
    assertTrue(!new String(CODEC.encode(release()), StandardCharsets.UTF_8).contains("variants"));
    Release withVariants =
        new Release(
            "ocr-det",
            "1.2.0",
            3,
            "127.0.0.1:5000/models/ocr-det",
            Samples.digest("index"),
            4711,
            Samples.serving(),
            Samples.releaseEnvelope(),
            null,
            null,
            "ci",
            T0,
            null,
            List.of(VariantSummary.of(Samples.releaseVariant())),
            "PUBLISHED");
    Release decoded = CODEC.decode(CODEC.encode(withVariants), Release.class);
    assertEquals(withVariants, decoded);
    assertEquals(VariantSummary.GoldenCheck.ON_DEVICE, decoded.variants().get(0).goldenCheck());
  }

  @Test
  void issuedToken_keepsItsSecretOutOfToString() {
    assertEquals(
        "IssuedToken[ci, viewer]", new IssuedToken("ci", "viewer", "fy_secret", T0).toString());
  }

  @Test
  void cases_withTheRolloutCases_coverEveryPublicApiRecord() throws Exception {
    Set<String> tested =
        Stream.of(cases(), RolloutApiRecordsTest.cases(), IdentityApiRecordsTest.cases())
            .flatMap(List::stream)
            .map(Case::sample)
            .map(sample -> sample.getClass().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(publicRecords(), tested);
    assertEquals(30, tested.size());
  }

  /** Every public record of this package, nested ones included. */
  private static Set<String> publicRecords() throws IOException, URISyntaxException {
    Path classes =
        Path.of(ApiError.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolve("dev/ferry/protocol/api");
    Set<String> records = new TreeSet<>();
    try (Stream<Path> files = Files.list(classes)) {
      files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".class"))
          .map(name -> "dev.ferry.protocol.api." + name.replace(".class", ""))
          .filter(ApiRecordsTest::isPublicRecord)
          .forEach(records::add);
    }
    return records;
  }

  private static boolean isPublicRecord(String name) {
    try {
      Class<?> type = Class.forName(name);
      boolean visible =
          Arrays.stream(new Class<?>[] {type, type.getEnclosingClass()})
              .allMatch(t -> t == null || Modifier.isPublic(t.getModifiers()));
      return type.isRecord() && visible;
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String encoded(Object value) {
    return new String(CODEC.encode(value), StandardCharsets.UTF_8);
  }
}
