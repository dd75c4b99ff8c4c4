package dev.ferry.agent.sync;

import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.FetchException;
import dev.ferry.agent.fetch.FetchedArtifact;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.VersionLoader;
import dev.ferry.agent.runtime.VersionRejectedException;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.ModelSlot;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.trust.DesiredStateVerifier;
import dev.ferry.agent.trust.RejectedDesiredStateException;
import dev.ferry.agent.trust.VerifiedDesired;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.VersionInfo;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.ServingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns verified desired states into serving versions: fetch, check against the signed statement,
 * load and validate off the request path, swap, persist {@code state.json}, report. A rejected
 * state or a failed version never disturbs what serves.
 */
public final class Applier {
  private static final Logger LOG = Logger.getLogger(Applier.class);

  /** What the applier needs. */
  public record Parts(
      String deviceId,
      String agentVersion,
      Map<String, String> labels,
      List<String> providers,
      DesiredStateVerifier verifier,
      ArtifactFetcher fetcher,
      ContentStore store,
      StateFile stateFile,
      Models models,
      Reporter reporter,
      Clock clock) {}

  private final Parts parts;
  private final JsonCodec codec = new JsonCodec(64 * 1024 * 1024);
  private final Map<String, ModelReport> reports = new TreeMap<>();
  private AgentState state;

  /**
   * @param parts what the applier needs
   */
  public Applier(Parts parts) {
    this.parts = parts;
  }

  /** Loads {@code state.json} and makes every installed version serve from the cache, offline. */
  public synchronized void restore() throws IOException {
    state = parts.stateFile().load();
    state.models().forEach((name, slot) -> restore(name, slot));
    report();
  }

  private void restore(String name, ModelSlot slot) {
    for (InstalledVersion version :
        slot.fallback() == null
            ? List.of(slot.active())
            : List.of(slot.fallback(), slot.active())) {
      try {
        parts.models().install(name, load(version));
        reports.put(
            name,
            new ModelReport(
                name, ModelStatus.ACTIVE, version.version(), info(version), null, null));
      } catch (RuntimeException | IOException e) {
        LOG.warnf("cannot serve %s %s from the cache: %s", name, version.version(), e.getMessage());
        reports.put(
            name,
            new ModelReport(
                name, ModelStatus.FAILED, version.version(), null, null, e.getMessage()));
      }
    }
  }

  /**
   * Applies a desired-state payload from MQTT.
   *
   * @param payload the DSSE envelope bytes
   */
  public synchronized void apply(byte[] payload) {
    VerifiedDesired verified;
    try {
      verified =
          parts
              .verifier()
              .verify(payload, parts.deviceId(), state.accepted(), parts.clock().instant());
    } catch (RejectedDesiredStateException e) {
      if (e.reason() != RejectedDesiredStateException.Reason.DUPLICATE) {
        LOG.warnf("refused a desired state: %s", e.getMessage());
        event(
            EventType.DESIRED_REJECTED,
            state.accepted().sequence(),
            null,
            null,
            e.reason() + ": " + e.getMessage());
      }
      return;
    }
    long sequence = verified.state().sequence();
    save(state.withAccepted(state.accepted().accept(verified)));
    event(EventType.DESIRED_ACCEPTED, sequence, null, null, null);
    for (ModelAssignment assignment : verified.state().models()) {
      install(assignment, verified.statements().get(assignment.name()), sequence);
    }
    collectGarbage();
    report();
  }

  private void install(ModelAssignment assignment, ReleaseStatement statement, long sequence) {
    String name = assignment.name();
    ReleasePredicate release = statement.predicate();
    ModelSlot current = state.models().get(name);
    if (current != null && current.active().manifestDigest().equals(assignment.manifestDigest())) {
      return;
    }
    if (current != null && release.releaseSeq() <= current.active().releaseSeq()) {
      fail(
          name,
          release.version(),
          sequence,
          "RELEASE_ROLLBACK: releaseSeq "
              + release.releaseSeq()
              + " of another artifact is not above the installed "
              + current.active().releaseSeq());
      return;
    }
    reports.put(
        name,
        new ModelReport(
            name, ModelStatus.DOWNLOADING, release.version(), activeInfo(name), null, null));
    try {
      FetchedArtifact artifact =
          parts.fetcher().fetch(assignment.repository(), assignment.manifestDigest(), n -> {});
      checkBoundToStatement(artifact, release);
      event(EventType.VERIFIED, sequence, name, release.version(), null);
      InstalledVersion version = installed(name, assignment, release, artifact);
      parts.models().install(name, load(version));
      event(EventType.VALIDATED, sequence, name, release.version(), null);
      save(
          state
              .activate(version)
              .withAccepted(state.accepted().installed(name, release.releaseSeq())));
      reports.put(
          name,
          new ModelReport(
              name,
              ModelStatus.ACTIVE,
              release.version(),
              info(version),
              fallbackInfo(name),
              null));
      event(EventType.ACTIVATED, sequence, name, release.version(), null);
    } catch (FetchException e) {
      fail(name, release.version(), sequence, e.reason() + ": " + e.getMessage());
    } catch (VersionRejectedException | MalformedMessageException | IllegalStateException e) {
      fail(name, release.version(), sequence, e.getMessage());
    } catch (IOException e) {
      fail(name, release.version(), sequence, "cache: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(name, release.version(), sequence, "interrupted");
    }
  }

  /** The statement names the digests of serving.json and the golden vectors: they must match. */
  private static void checkBoundToStatement(FetchedArtifact artifact, ReleasePredicate release) {
    Descriptor serving = artifact.manifest().layerAt("serving.json");
    Descriptor golden = artifact.manifest().layerAt("golden.json");
    if (!serving.digest().equals(release.servingDigest())
        || !golden.digest().equals(release.goldenDigest())) {
      throw new IllegalStateException(
          "artifact layers serving.json "
              + serving.digest()
              + " and golden.json "
              + golden.digest()
              + " are not the signed "
              + release.servingDigest()
              + " and "
              + release.goldenDigest());
    }
  }

  private static InstalledVersion installed(
      String name, ModelAssignment assignment, ReleasePredicate release, FetchedArtifact artifact) {
    Map<String, Digest> files = new LinkedHashMap<>();
    for (Descriptor layer : artifact.manifest().layers()) {
      files.put(layer.annotations().get(Annotations.MODEL_FILEPATH), layer.digest());
    }
    return new InstalledVersion(
        name,
        release.version(),
        assignment.manifestDigest(),
        release.releaseSeq(),
        files,
        assignment.release());
  }

  private LoadedVersion load(InstalledVersion version) throws IOException {
    Path model = parts.store().verify(version.files().get("model.onnx"));
    ServingSpec spec = read(version.files().get("serving.json"), ServingSpec.class);
    GoldenVectors golden = read(version.files().get("golden.json"), GoldenVectors.class);
    if (!spec.model().equals(version.name())) {
      throw new IllegalStateException(
          "serving.json is for model " + spec.model() + ", not " + version.name());
    }
    return VersionLoader.load(model, spec, golden, parts.providers());
  }

  private <T> T read(Digest digest, Class<T> type) throws IOException {
    try (InputStream in = Files.newInputStream(parts.store().verify(digest))) {
      return codec.decode(in, type);
    }
  }

  private void fail(String name, String version, long sequence, String reason) {
    LOG.warnf("version %s of %s failed: %s", version, name, reason);
    reports.put(
        name,
        new ModelReport(
            name, ModelStatus.FAILED, version, activeInfo(name), fallbackInfo(name), reason));
    event(EventType.FAILED, sequence, name, version, reason);
  }

  private void save(AgentState next) {
    try {
      parts.stateFile().save(next);
      state = next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + parts.stateFile().path(), e);
    }
  }

  private void collectGarbage() {
    try {
      parts.store().gc(state.referencedBlobs());
    } catch (IOException e) {
      LOG.warnf("cache garbage collection failed: %s", e.getMessage());
    }
  }

  private VersionInfo activeInfo(String name) {
    ModelSlot slot = state.models().get(name);
    return slot == null ? null : info(slot.active());
  }

  private VersionInfo fallbackInfo(String name) {
    ModelSlot slot = state.models().get(name);
    return slot == null || slot.fallback() == null ? null : info(slot.fallback());
  }

  private VersionInfo info(InstalledVersion version) {
    String provider =
        parts
            .models()
            .slot(version.name())
            .flatMap(
                slot ->
                    slot.versions().stream()
                        .filter(v -> v.version().equals(version.version()))
                        .findFirst())
            .map(LoadedVersion::provider)
            .orElse("none");
    return new VersionInfo(
        version.version(), version.manifestDigest(), version.releaseSeq(), provider);
  }

  private void event(EventType type, long sequence, String model, String version, String reason) {
    parts
        .reporter()
        .event(
            new DeviceEvent(
                UUID.randomUUID().toString(),
                parts.deviceId(),
                parts.clock().instant(),
                type,
                sequence,
                model,
                version,
                null,
                null,
                reason));
  }

  /** Sends the reported state: accepted sequence, and per model its status and versions. */
  public synchronized void report() {
    parts
        .reporter()
        .reported(
            new ReportedState(
                parts.deviceId(),
                parts.clock().instant(),
                state.accepted().sequence(),
                parts.agentVersion(),
                parts.labels(),
                parts.providers(),
                List.copyOf(reports.values())));
  }

  /** The current state, for tests and health. */
  public synchronized Optional<AgentState> state() {
    return Optional.ofNullable(state);
  }
}
