package dev.ferry.protocol;

import dev.ferry.protocol.device.Accelerator;
import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.DeviceMetrics;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.LatencyHistogram;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ModelTelemetry;
import dev.ferry.protocol.device.Presence;
import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.oci.ModelPackConfig;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ReleaseVariant;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.StatementSubject;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.release.Tolerance;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.RoleKeys;
import dev.ferry.protocol.signing.RootChain;
import dev.ferry.protocol.signing.Signature;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One valid instance of every wire record, for tests. */
public final class Samples {
  public static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  public static final KeyPair ROOT_KEY = Ed25519.generate();
  public static final KeyPair RELEASE_KEY = Ed25519.generate();
  public static final KeyPair HUB_KEY = Ed25519.generate();

  private Samples() {}

  public static Digest digest(String content) {
    return Digest.of(content.getBytes(StandardCharsets.UTF_8));
  }

  public static ReleasePredicate predicate() {
    return new ReleasePredicate(
        "ocr-det", "1.2.0", 3, T0, digest("serving"), digest("golden"), T0.plusSeconds(86_400));
  }

  public static ReleaseVariant releaseVariant() {
    return new ReleaseVariant(
        "fp16-cuda",
        List.of("TENSORRT", "CUDA"),
        Precision.FP16,
        digest("manifest-fp16"),
        digest("serving-fp16"),
        digest("golden-fp16"));
  }

  public static ReleaseStatement statement() {
    return ReleaseStatement.of("127.0.0.1:5000/models/ocr-det", digest("manifest"), predicate());
  }

  public static Envelope releaseEnvelope() {
    return new Signer(RELEASE_KEY).sign(PayloadTypes.IN_TOTO, new JsonCodec().encode(statement()));
  }

  public static ModelAssignment assignment() {
    return new ModelAssignment(
        "ocr-det", "127.0.0.1:5000/models/ocr-det", digest("manifest"), releaseEnvelope());
  }

  public static DesiredState desired() {
    return new DesiredState("edge-01", 7, T0, T0.plusSeconds(86_400), List.of(assignment()));
  }

  public static VersionInfo versionInfo() {
    return new VersionInfo("1.2.0", digest("manifest"), 3, "CPU");
  }

  public static ModelReport modelReport() {
    return new ModelReport(
        "ocr-det",
        ModelStatus.ACTIVE,
        "1.2.0",
        versionInfo(),
        new VersionInfo("1.1.0", digest("old"), 2, "CPU"),
        null);
  }

  public static ReportedState reported() {
    return new ReportedState(
        "edge-01",
        T0,
        7,
        "0.1.0",
        Map.of("site", "berlin", "accel", "cpu"),
        List.of("CPU"),
        List.of(modelReport()),
        1,
        ReportedState.STALE,
        List.of("ocr-det@1.1.0"),
        Map.of("CUDA", "not in this ONNX Runtime build"));
  }

  public static DeviceEvent event() {
    return new DeviceEvent(
        "4f1c",
        "edge-01",
        T0,
        EventType.DOWNLOAD_PROGRESS,
        7,
        "ocr-det",
        "1.2.0",
        512L,
        1024L,
        null);
  }

  public static LatencyHistogram histogram() {
    return new LatencyHistogram(List.of(1.0, 5.0, 25.0), List.of(10L, 5L, 1L, 0L));
  }

  public static ModelTelemetry modelTelemetry() {
    return new ModelTelemetry(
        "ocr-det", "1.2.0", "CPU", 16, Map.of("invalid_input", 1L), histogram(), "fp32-cpu");
  }

  public static Accelerator accelerator() {
    return new Accelerator("CUDA", "NVIDIA H200", 150_000_000_000L, 1_000_000L, 0.25);
  }

  public static DeviceMetrics deviceMetrics() {
    return new DeviceMetrics(0.5, 200_000_000L, 50_000_000_000L, List.of(accelerator()));
  }

  public static TelemetryBatch telemetry() {
    return new TelemetryBatch(
        "edge-01", 42, T0, T0.plusSeconds(10), 0, List.of(modelTelemetry()), deviceMetrics());
  }

  public static Receipt receipt() {
    return new Receipt("edge-01", List.of(41L, 42L), List.of("evt-7"));
  }

  public static Presence presence() {
    return new Presence("edge-01", true, T0, "0.1.0");
  }

  public static TensorSpec tensorSpec() {
    return new TensorSpec("x", Datatype.FP32, List.of(-1L, 3L, 48L, 192L));
  }

  public static ServingSpec serving() {
    return new ServingSpec(
        "ocr-det",
        "1.2.0",
        ServingSpec.ONNX_PLATFORM,
        17,
        List.of(tensorSpec()),
        List.of(new TensorSpec("y", Datatype.FP32, List.of(-1L, 1L))),
        List.of("CUDA", "CPU"),
        sessionHints());
  }

  public static SessionHints sessionHints() {
    return new SessionHints(
        2,
        1,
        "EXTENDED",
        false,
        true,
        Map.of("CUDA", Map.of("cudnn_conv_algo_search", "HEURISTIC")));
  }

  public static Tensor tensor() {
    return new Tensor("x", Datatype.FP32, List.of(1L, 2L), List.of(0.5, -1.25));
  }

  public static GoldenCase goldenCase() {
    return new GoldenCase(
        List.of(tensor()), List.of(new Tensor("y", Datatype.FP32, List.of(1L, 1L), List.of(0.75))));
  }

  public static Tolerance tolerance() {
    return new Tolerance(1e-5, 1e-4);
  }

  public static GoldenVectors golden() {
    return new GoldenVectors(List.of(goldenCase()), Map.of("y", tolerance()));
  }

  public static TrustedKey trustedKey() {
    return TrustedKey.of(ROOT_KEY.getPublic());
  }

  public static RoleKeys roleKeys() {
    return new RoleKeys(List.of(trustedKey().id()), 1);
  }

  public static TrustRoot trustRoot() {
    TrustedKey root = TrustedKey.of(ROOT_KEY.getPublic());
    TrustedKey release = TrustedKey.of(RELEASE_KEY.getPublic());
    TrustedKey hub = TrustedKey.of(HUB_KEY.getPublic());
    return new TrustRoot(
        1,
        T0.plusSeconds(365L * 86_400),
        Map.of(root.id(), root, release.id(), release, hub.id(), hub),
        Map.of(
            Role.ROOT.id(), new RoleKeys(List.of(root.id()), 1),
            Role.RELEASE.id(), new RoleKeys(List.of(release.id()), 1),
            Role.HUB.id(), new RoleKeys(List.of(hub.id()), 1)));
  }

  public static RootChain rootChain() {
    return new RootChain(
        List.of(new Signer(ROOT_KEY).sign(PayloadTypes.ROOT, new JsonCodec().encode(trustRoot()))));
  }

  public static RevokedRelease revokedRelease() {
    return new RevokedRelease("ocr-det", "1.2.0", digest("manifest"), T0, "misreads receipts");
  }

  public static Revocations revocations() {
    return new Revocations(4, T0, null, List.of(revokedRelease()));
  }

  public static Signature signature() {
    return releaseEnvelope().signatures().get(0);
  }

  public static StatementSubject statementSubject() {
    return StatementSubject.of("127.0.0.1:5000/models/ocr-det", digest("manifest"));
  }

  public static Descriptor descriptor() {
    return Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, digest("model"), 4_700_000)
        .withAnnotation(Annotations.MODEL_FILEPATH, "model.onnx");
  }

  public static Manifest manifest() {
    return Manifest.of(
        MediaTypes.MODEL_ARTIFACT,
        Descriptor.of(MediaTypes.MODEL_CONFIG, digest("config"), 321),
        List.of(descriptor()),
        Descriptor.of(MediaTypes.OCI_MANIFEST, digest("subject"), 900),
        Map.of(Annotations.CREATED, "2026-11-28T10:00:00Z"));
  }

  public static ModelPackConfig modelPackConfig() {
    return new ModelPackConfig(
        new ModelPackConfig.Descriptor(T0, "ocr-det", "1.2.0", null, List.of("Apache-2.0")),
        new ModelPackConfig.Config("onnx", "fp32"),
        new ModelPackConfig.ModelFs("layers", List.of(digest("model"), digest("serving"))));
  }

  public static Index index() {
    return Index.of(
        List.of(
            new Descriptor(
                MediaTypes.OCI_MANIFEST,
                digest("signature"),
                512,
                Map.of("dev.ferry.kind", "signature"),
                MediaTypes.DSSE_ENVELOPE)));
  }
}
