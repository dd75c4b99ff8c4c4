package dev.ferry.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.json.Schema;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.testing.RecordContract;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every wire record: JSON round trip, unknown fields ignored, a wrong type named exactly. */
class WireRecordsTest extends RecordContract {
  private static final List<String> WIRE_PACKAGES =
      List.of("device", "json", "oci", "release", "signing");

  /** How a rejection may name where the problem is, when it names no field. */
  private static final Pattern WHERE =
      Pattern.compile(
          "malformed JSON at line \\d+, column \\d+: .+"
              + "|malformed JSON: trailing \\w+ after the object"
              + "|expected a JSON object, got \\w+"
              + "|unsupported schema .+");

  static List<Case> cases() {
    return List.of(
        new Case(
            Samples.desired(),
            "sequence",
            text("seven"),
            "ferry.desired/v1: sequence must be an integer, got the string 'seven'"),
        new Case(
            Samples.assignment(),
            "manifestDigest",
            number(5),
            "ModelAssignment: manifestDigest must be a string, got 5"),
        new Case(
            Samples.sessionHints(),
            "intraOpThreads",
            text("two"),
            "SessionHints: intraOpThreads must be an integer, got the string 'two'"),
        new Case(
            Samples.reported(),
            "labels",
            array(),
            "ferry.reported/v1: labels must be an object, got an array"),
        new Case(
            Samples.modelReport(),
            "status",
            text("DANCING"),
            "ModelReport: status must be one of [PENDING, DOWNLOADING, VERIFYING, ACTIVE, FAILED,"
                + " ROLLED_BACK], got 'DANCING'"),
        new Case(
            Samples.versionInfo(),
            "releaseSeq",
            text("3"),
            "VersionInfo: releaseSeq must be an integer, got the string '3'"),
        new Case(
            Samples.event(),
            "at",
            text("yesterday"),
            "ferry.event/v1: at must be an RFC 3339 timestamp, got 'yesterday'"),
        new Case(
            Samples.telemetry(),
            "seq",
            number(4.5),
            "ferry.telemetry/v1: seq must be an integer, got 4.5"),
        new Case(
            Samples.modelTelemetry(),
            "errors",
            text("none"),
            "ModelTelemetry: errors must be an object, got the string 'none'"),
        new Case(
            Samples.histogram(),
            "counts",
            text("1,2"),
            "LatencyHistogram: counts must be an array, got the string '1,2'"),
        new Case(
            Samples.deviceMetrics(),
            "rssBytes",
            JSON.getNodeFactory().booleanNode(true),
            "DeviceMetrics: rssBytes must be an integer, got true"),
        new Case(
            Samples.accelerator(),
            "utilization",
            text("high"),
            "Accelerator: utilization must be a number, got the string 'high'"),
        new Case(
            Samples.presence(),
            "online",
            text("yes"),
            "ferry.presence/v1: online must be a boolean, got the string 'yes'"),
        new Case(
            Samples.receipt(),
            "telemetry",
            text("42"),
            "ferry.receipt/v1: telemetry must be an array, got the string '42'"),
        new Case(
            Samples.statement(),
            "subject",
            object(),
            "ReleaseStatement: subject must be an array, got an object"),
        new Case(
            Samples.statementSubject(),
            "digest",
            text("sha256:00"),
            "StatementSubject: digest must be an object, got the string 'sha256:00'"),
        new Case(
            Samples.predicate(),
            "releaseSeq",
            JSON.getNodeFactory().nullNode(),
            "ReleasePredicate: releaseSeq must be an integer, got null"),
        new Case(
            Samples.releaseVariant(),
            "precision",
            text("FP64"),
            "ReleaseVariant: precision must be one of [FP32, FP16, INT8, BF16, MIXED], got 'FP64'"),
        new Case(
            Samples.revocations(),
            "version",
            text("4"),
            "ferry.revocations/v1: version must be an integer, got the string '4'"),
        new Case(
            Samples.revokedRelease(),
            "reason",
            number(5),
            "RevokedRelease: reason must be a string, got 5"),
        new Case(
            Samples.serving(),
            "opset",
            text("17"),
            "ferry.serving/v1: opset must be an integer, got the string '17'"),
        new Case(
            Samples.tensorSpec(), "shape", number(3), "TensorSpec: shape must be an array, got 3"),
        new Case(
            Samples.golden(),
            "cases",
            object(),
            "ferry.golden/v1: cases must be an array, got an object"),
        new Case(
            Samples.goldenCase(),
            "inputs",
            text("x"),
            "GoldenCase: inputs must be an array, got the string 'x'"),
        new Case(
            Samples.tensor(),
            "datatype",
            text("FLOAT"),
            "Tensor: datatype must be one of [BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16,"
                + " INT32, INT64, FP16, FP32, FP64, BF16, BYTES], got 'FLOAT'"),
        new Case(
            Samples.tolerance(),
            "atol",
            text("0.1"),
            "Tolerance: atol must be a number, got the string '0.1'"),
        new Case(
            Samples.trustRoot(),
            "version",
            text("1"),
            "ferry.root/v1: version must be an integer, got the string '1'"),
        new Case(
            Samples.rootChain(),
            "roots",
            object(),
            "ferry.rootchain/v1: roots must be an array, got an object"),
        new Case(
            Samples.trustedKey(),
            "keytype",
            number(25519),
            "TrustedKey: keytype must be a string, got 25519"),
        new Case(
            Samples.roleKeys(),
            "threshold",
            number(1.5),
            "RoleKeys: threshold must be an integer, got 1.5"),
        new Case(
            Samples.releaseEnvelope(),
            "signatures",
            text("sig"),
            "Envelope: signatures must be an array, got the string 'sig'"),
        new Case(Samples.signature(), "sig", number(7), "Signature: sig must be a string, got 7"),
        new Case(
            Samples.descriptor(),
            "size",
            text("big"),
            "Descriptor: size must be an integer, got the string 'big'"),
        new Case(
            Samples.manifest(),
            "layers",
            object(),
            "Manifest: layers must be an array, got an object"),
        new Case(
            Samples.modelPackConfig(),
            "modelfs",
            array(),
            "ModelPackConfig: modelfs must be an object, got an array"),
        new Case(
            Samples.index(),
            "schemaVersion",
            text("2"),
            "Index: schemaVersion must be an integer, got the string '2'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decode_rejectsNullOrMissingFieldsOnlyWithMalformedMessage(Case c) throws IOException {
    ObjectNode tree = (ObjectNode) JSON.readTree(CODEC.encode(c.sample()));
    List<String> fields = new ArrayList<>();
    tree.fieldNames().forEachRemaining(fields::add);
    for (String field : fields) {
      ObjectNode nulled = tree.deepCopy();
      nulled.putNull(field);
      decodeOrReject(JSON.writeValueAsBytes(nulled), c.sample());
      ObjectNode missing = tree.deepCopy();
      missing.remove(field);
      decodeOrReject(JSON.writeValueAsBytes(missing), c.sample());
    }
    assertTrue(fields.size() >= 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decode_survivesMutatedBytes(Case c) throws IOException {
    List<byte[]> mutated = mutations(CODEC.encode(c.sample()));
    int mutations = mutated.size();
    int decoded = 0;
    for (byte[] payload : mutated) {
      decoded += decodeOrReject(payload, c.sample()) ? 1 : 0;
    }
    // the seeded mutations must exercise both outcomes, or the test proves nothing
    String counts =
        "decoded " + decoded + ", rejected " + (mutations - decoded) + " of " + mutations;
    assertTrue(decoded >= 1 && decoded < mutations, counts);
  }

  /**
   * Decoding either yields a valid record (one that survives its own round trip) or fails with a
   * {@link MalformedMessageException} whose message names where: a field of the message or a
   * position in the JSON. Nothing else may escape.
   *
   * @return whether the payload decoded
   */
  private static boolean decodeOrReject(byte[] payload, Object sample) throws IOException {
    Class<?> type = sample.getClass();
    try {
      Object record = CODEC.decode(payload, type);
      assertEquals(record, CODEC.decode(CODEC.encode(record), type));
      return true;
    } catch (MalformedMessageException e) {
      assertNamesFieldOrPosition(e.getMessage(), sample);
      return false;
    }
  }

  private static void assertNamesFieldOrPosition(String message, Object sample) throws IOException {
    String label = label(sample.getClass()) + ": ";
    String problem = message.startsWith(label) ? message.substring(label.length()) : message;
    List<String> fields = new ArrayList<>();
    JSON.readTree(CODEC.encode(sample)).fieldNames().forEachRemaining(fields::add);
    boolean namesField =
        fields.stream().anyMatch(f -> problem.matches(Pattern.quote(f) + "[ .\\[:].+"));
    assertTrue(
        namesField || WHERE.matcher(problem).matches(),
        "names neither a field of " + fields + " nor a position: " + message);
  }

  private static String label(Class<?> type) {
    Schema schema = type.getAnnotation(Schema.class);
    return schema == null ? type.getSimpleName() : schema.value();
  }

  @Test
  void cases_coverEveryPublicWireRecord() throws Exception {
    Set<String> tested =
        cases().stream()
            .map(c -> c.sample().getClass().getName())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> records = publicRecords();
    // JSON strings or topic names, not JSON objects: see DigestTest and TopicTest
    records.remove(Digest.class.getName());
    records.remove(Topic.class.getName());
    assertEquals(records, tested);
    assertEquals(36, tested.size());
  }

  private static Set<String> publicRecords() throws IOException, URISyntaxException {
    Path classes =
        Path.of(Digest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> records = new TreeSet<>();
    for (String pkg : WIRE_PACKAGES) {
      try (Stream<Path> files = Files.list(classes.resolve("dev/ferry/protocol/" + pkg))) {
        files
            .map(f -> f.getFileName().toString())
            .filter(name -> name.endsWith(".class") && !name.contains("$"))
            .map(name -> "dev.ferry.protocol." + pkg + "." + name.replace(".class", ""))
            .filter(WireRecordsTest::isPublicRecord)
            .forEach(records::add);
      }
    }
    return records;
  }

  private static boolean isPublicRecord(String name) {
    try {
      Class<?> type = Class.forName(name);
      return type.isRecord() && java.lang.reflect.Modifier.isPublic(type.getModifiers());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
