package dev.ferry.protocol.testing;

import dev.ferry.protocol.device.DesiredState;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.RegistryClient;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Precision;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ReleaseVariant;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.RoleKeys;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.TrustedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The hub's side of the wire for agent tests: its three keys and trust root, releases laid out in a
 * real registry the way the hub lays them out ({@code y = x·W + b} models of input {@code x
 * [1,n]}), release statements and signed desired states, each open to tampering; and, made at a
 * fixed {@link #NOW} with no registry, statements, assignments and desired states for unit tests.
 */
public final class TestHub {
  public static final JsonCodec CODEC = new JsonCodec();

  /** The instant the fixed-time helpers ({@link #desiredState}, {@link #statement}) are made at. */
  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  /** The repository {@link #assign(String, long)} names. */
  public static final String REPOSITORY = "registry.example:5000/models/resnet";

  public final KeyPair rootKey = Ed25519.generate();
  public final KeyPair releaseKey = Ed25519.generate();
  public final KeyPair hubKey = Ed25519.generate();
  public final Signer root = new Signer(rootKey);
  public final Signer release = new Signer(releaseKey);
  public final Signer hub = new Signer(hubKey);

  /** How a published release is broken on purpose. */
  public enum Flaw {
    NONE,
    /** The golden output is off by 10: the agent's golden check fails. */
    GOLDEN_MISMATCH,
    /** model.onnx is not an ONNX model: ONNX Runtime cannot load it. */
    MODEL_DOES_NOT_LOAD
  }

  /**
   * A release in the registry.
   *
   * @param model the model name
   * @param version its version
   * @param reference {@code host:port/repository} the agent pulls from
   * @param manifestDigest the manifest's digest
   * @param manifest the manifest
   * @param statement the release statement (unsigned)
   * @param linear the model's weights, to compute expected outputs
   */
  public record Release(
      String model,
      String version,
      String reference,
      Digest manifestDigest,
      Manifest manifest,
      ReleaseStatement statement,
      OnnxModels.Linear linear) {
    /** The model.onnx layer. */
    public Descriptor modelLayer() {
      return manifest.layerAt("model.onnx");
    }
  }

  /**
   * A trust root naming the three roles' keys.
   *
   * @param version its version
   * @param root the root key
   * @param release the release key
   * @param hub the hub key
   * @return the trust root
   */
  public static TrustRoot trustRoot(int version, KeyPair root, KeyPair release, KeyPair hub) {
    Map<String, TrustedKey> keys =
        Map.of(
            new Signer(root).keyId(), TrustedKey.of(root.getPublic()),
            new Signer(release).keyId(), TrustedKey.of(release.getPublic()),
            new Signer(hub).keyId(), TrustedKey.of(hub.getPublic()));
    Map<String, RoleKeys> roles =
        Map.of(
            "root", new RoleKeys(List.of(new Signer(root).keyId()), 1),
            "release", new RoleKeys(List.of(new Signer(release).keyId()), 1),
            "hub", new RoleKeys(List.of(new Signer(hub).keyId()), 1));
    return new TrustRoot(version, null, keys, roles);
  }

  /** This hub's trust root, version 1. */
  public TrustRoot trustRoot() {
    return trustRoot(1, rootKey, releaseKey, hubKey);
  }

  /**
   * This hub's trust root with another version, root key or hub key: for rotations.
   *
   * @param version its version
   * @param root the root key
   * @param hub the hub key
   * @return the trust root, naming this hub's release key
   */
  public TrustRoot trustRoot(int version, KeyPair root, KeyPair hub) {
    return trustRoot(version, root, releaseKey, hub);
  }

  /** The trust root as the hub serves it: signed by its root key. */
  public byte[] signedRoot() {
    return CODEC.encode(root.sign(PayloadTypes.ROOT, CODEC.encode(trustRoot())));
  }

  /**
   * Publishes a release of a {@code [1,inputs] → [1,outputs]} model.
   *
   * @param client pushes to the registry
   * @param pullFrom the registry {@code host:port} the agent is told to pull from
   * @param repository the repository
   * @param model the model name
   * @param version the version
   * @param releaseSeq the release sequence
   * @param shape {@code {inputs, outputs}}
   * @param seed the weights' seed
   * @param flaw how to break it
   * @param dir where to write the model file
   * @return the release
   */
  public Release publish(
      RegistryClient client,
      String pullFrom,
      String repository,
      String model,
      String version,
      long releaseSeq,
      int[] shape,
      long seed,
      Flaw flaw,
      Path dir)
      throws IOException {
    Path file = dir.resolve(model + "-" + version + ".onnx");
    OnnxModels.Linear linear = OnnxModels.matMulAdd(file, "x", 1, shape[0], shape[1], seed);
    return publishGenerated(
        client,
        pullFrom,
        repository,
        model,
        version,
        releaseSeq,
        shape,
        linear,
        flaw,
        file,
        List.of());
  }

  /**
   * Publishes the FP16 copy of the model {@link #publish} generates from the same seed ({@link
   * OnnxModels#matMulAddHalf}), allowed on the given providers only: a part of a release with
   * variants.
   *
   * @return the release
   */
  public Release publishHalf(
      RegistryClient client,
      String pullFrom,
      String repository,
      String model,
      String version,
      long releaseSeq,
      int[] shape,
      long seed,
      List<String> providers,
      Path dir)
      throws IOException {
    Path file = dir.resolve(model + "-" + version + "-fp16.onnx");
    OnnxModels.Linear linear = OnnxModels.matMulAddHalf(file, "x", 1, shape[0], shape[1], seed);
    return publishGenerated(
        client,
        pullFrom,
        repository,
        model,
        version,
        releaseSeq,
        shape,
        linear,
        Flaw.NONE,
        file,
        providers);
  }

  private Release publishGenerated(
      RegistryClient client,
      String pullFrom,
      String repository,
      String model,
      String version,
      long releaseSeq,
      int[] shape,
      OnnxModels.Linear linear,
      Flaw flaw,
      Path file,
      List<String> providers)
      throws IOException {
    double[] x = new double[shape[0]];
    Arrays.setAll(x, i -> (i % 7) - 3);
    double[] y = linear.apply(x);
    if (flaw == Flaw.GOLDEN_MISMATCH) {
      y[0] += 10;
    }
    GoldenVectors golden =
        new GoldenVectors(
            List.of(
                new GoldenCase(
                    List.of(tensor("x", shape[0], x)), List.of(tensor("y", shape[1], y)))),
            Map.of());
    ServingSpec serving =
        new ServingSpec(
            model,
            version,
            ServingSpec.ONNX_PLATFORM,
            17,
            List.of(new TensorSpec("x", Datatype.FP32, List.of(1L, (long) shape[0]))),
            List.of(new TensorSpec("y", Datatype.FP32, List.of(1L, (long) shape[1]))),
            providers,
            SessionHints.NONE);
    byte[] modelBytes =
        flaw == Flaw.MODEL_DOES_NOT_LOAD
            ? ("not an ONNX model " + version).getBytes(StandardCharsets.UTF_8)
            : Files.readAllBytes(file);
    return publishModel(
        client, pullFrom, repository, releaseSeq, modelBytes, serving, golden, linear);
  }

  /**
   * One variant of a release with several: a release pushed on its own, and what the index and the
   * statement say of it.
   *
   * @param name the variant's name
   * @param providers the providers it targets
   * @param precision its precision
   * @param part the variant's own artifact, pushed with {@link #publish} or {@link #publishHalf}
   */
  public record Variant(String name, List<String> providers, Precision precision, Release part) {}

  /**
   * Pushes the OCI image index of a release with variants, tagged with the version, and makes its
   * statement: subject the index, every variant named in the predicate. The release's manifest and
   * weights are those of the first variant.
   *
   * @param client pushes to the registry
   * @param releaseSeq the release sequence
   * @param variants the variants, in the release's order, each already pushed
   * @return the release
   */
  public Release publishVariants(RegistryClient client, long releaseSeq, List<Variant> variants)
      throws IOException {
    List<Descriptor> entries = new ArrayList<>();
    List<ReleaseVariant> signed = new ArrayList<>();
    for (Variant variant : variants) {
      Manifest manifest = variant.part().manifest();
      ReleaseVariant named =
          new ReleaseVariant(
              variant.name(),
              variant.providers(),
              variant.precision(),
              variant.part().manifestDigest(),
              manifest.layerAt("serving.json").digest(),
              manifest.layerAt("golden.json").digest());
      signed.add(named);
      entries.add(
          new Descriptor(
              MediaTypes.OCI_MANIFEST,
              named.manifestDigest(),
              CODEC.encode(manifest).length,
              named.annotations(),
              MediaTypes.MODEL_ARTIFACT));
    }
    Release first = variants.get(0).part();
    String repository = first.reference().substring(first.reference().indexOf('/') + 1);
    Digest digest =
        client.putManifest(
            repository,
            first.version(),
            MediaTypes.OCI_INDEX,
            CODEC.encode(Index.ofVariants(entries, Map.of())));
    ReleasePredicate predicate =
        new ReleasePredicate(
            first.model(),
            first.version(),
            releaseSeq,
            Instant.now(),
            signed.get(0).servingDigest(),
            signed.get(0).goldenDigest(),
            null,
            signed);
    return new Release(
        first.model(),
        first.version(),
        first.reference(),
        digest,
        first.manifest(),
        ReleaseStatement.of(first.reference(), digest, predicate),
        first.linear());
  }

  /**
   * Publishes a release of any model: its bytes, serving spec and golden vectors as given.
   *
   * @param client pushes to the registry
   * @param pullFrom the registry {@code host:port} the agent is told to pull from
   * @param repository the repository
   * @param releaseSeq the release sequence
   * @param modelBytes model.onnx
   * @param serving serving.json (names the model and the version)
   * @param golden golden.json
   * @param linear the weights of a generated model, or null
   * @return the release
   */
  public Release publishModel(
      RegistryClient client,
      String pullFrom,
      String repository,
      long releaseSeq,
      byte[] modelBytes,
      ServingSpec serving,
      GoldenVectors golden,
      OnnxModels.Linear linear)
      throws IOException {
    Manifest manifest =
        ModelPacks.pushParts(
            client, repository, modelBytes, CODEC.encode(serving), CODEC.encode(golden));
    return put(
        client,
        pullFrom,
        repository,
        serving.model(),
        serving.version(),
        releaseSeq,
        manifest,
        linear);
  }

  /**
   * Pushes a manifest (as is, or altered from a release's) and makes its release statement.
   *
   * @return the release
   */
  public Release put(
      RegistryClient client,
      String pullFrom,
      String repository,
      String model,
      String version,
      long releaseSeq,
      Manifest manifest,
      OnnxModels.Linear linear)
      throws IOException {
    Digest digest =
        client.putManifest(repository, version, MediaTypes.OCI_MANIFEST, CODEC.encode(manifest));
    String reference = pullFrom + "/" + repository;
    ReleaseStatement statement =
        ReleaseStatement.of(
            reference,
            digest,
            ReleasePredicate.lasting(
                model,
                version,
                releaseSeq,
                Instant.now(),
                manifest.layerAt("serving.json").digest(),
                manifest.layerAt("golden.json").digest()));
    return new Release(model, version, reference, digest, manifest, statement, linear);
  }

  private static Tensor tensor(String name, int width, double[] values) {
    return new Tensor(
        name,
        Datatype.FP32,
        List.of(1L, (long) width),
        Arrays.stream(values).boxed().map(Object.class::cast).toList());
  }

  /** The assignment of a release, its statement signed by the release key. */
  public ModelAssignment assign(Release release) {
    return assign(release, release.statement(), this.release);
  }

  /**
   * An assignment with any statement, signed by any key: for attacks.
   *
   * @param release the release assigned
   * @param statement the statement to sign
   * @param signer who signs it
   * @return the assignment
   */
  public ModelAssignment assign(Release release, ReleaseStatement statement, Signer signer) {
    return new ModelAssignment(
        release.model(),
        release.reference(),
        release.manifestDigest(),
        signer.sign(PayloadTypes.IN_TOTO, CODEC.encode(statement)));
  }

  /** A desired state valid from a minute ago for an hour, signed by the hub key. */
  public byte[] desired(String deviceId, long sequence, ModelAssignment... models) {
    Instant now = Instant.now();
    return desired(
        new DesiredState(
            deviceId,
            sequence,
            now.minus(Duration.ofMinutes(1)),
            now.plus(Duration.ofHours(1)),
            List.of(models)));
  }

  /** Any desired state, signed by the hub key. */
  public byte[] desired(DesiredState state) {
    return CODEC.encode(hub.sign(PayloadTypes.DESIRED, CODEC.encode(state)));
  }

  /** A digest that stands for some content, made from a seed. */
  public static Digest digest(String seed) {
    return Digest.of(seed.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A release statement made at {@link #NOW} for {@link #REPOSITORY}, version {@code
   * 1.0.<releaseSeq>}, its serving and golden digests made from seeds.
   *
   * @param model the model
   * @param manifest the manifest digest it is about
   * @param releaseSeq the release sequence
   * @return the statement
   */
  public static ReleaseStatement statement(String model, Digest manifest, long releaseSeq) {
    return ReleaseStatement.of(
        REPOSITORY,
        manifest,
        ReleasePredicate.lasting(
            model, "1.0." + releaseSeq, releaseSeq, NOW, digest("serving"), digest("golden")));
  }

  /** {@link #statement} signed by the release key. */
  public Envelope signedRelease(String model, Digest manifest, long releaseSeq) {
    return release.sign(PayloadTypes.IN_TOTO, CODEC.encode(statement(model, manifest, releaseSeq)));
  }

  /** An assignment of a release that is in no registry: its manifest digest made from a seed. */
  public ModelAssignment assign(String model, long releaseSeq) {
    Digest manifest = digest(model + releaseSeq);
    return new ModelAssignment(
        model, REPOSITORY, manifest, signedRelease(model, manifest, releaseSeq));
  }

  /** A desired state valid from a minute before {@link #NOW} for an hour after it, unsigned. */
  public static DesiredState desiredState(
      String deviceId, long sequence, ModelAssignment... models) {
    return new DesiredState(
        deviceId, sequence, NOW.minusSeconds(60), NOW.plusSeconds(3600), List.of(models));
  }
}
