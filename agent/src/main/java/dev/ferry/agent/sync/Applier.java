package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.agent.fetch.FetchException;
import dev.ferry.agent.fetch.FetchedArtifact;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.Rollback;
import dev.ferry.agent.runtime.VersionLoader;
import dev.ferry.agent.runtime.VersionRejectedException;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.FailedVersion;
import dev.ferry.agent.store.InstalledModel;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.store.Target;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns verified desired states into serving versions: fetch, check against the signed statement,
 * load and validate off the request path, swap, persist {@code state.json}, report. A rejected
 * state or a failed version never disturbs what serves. What the accepted state assigns is kept in
 * {@code state.json}, so an install cut short by a crash or an outage resumes ({@link #reconcile})
 * from its partial downloads; a version that fails for good is not tried again until the hub
 * assigns another artifact.
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
  private volatile AgentState state;
  private boolean pending;

  /**
   * @param parts what the applier needs
   */
  public Applier(Parts parts) {
    this.parts = parts;
  }

  /**
   * Loads {@code state.json} and makes every installed version serve from the cache, offline. A
   * version whose cached files were altered does not load; its blobs are dropped so that {@link
   * #reconcile} fetches them again.
   */
  public synchronized void restore() throws IOException {
    state = parts.stateFile().load();
    state.models().forEach(this::restore);
    for (Target target : state.targets()) {
      FailedVersion failed = state.failed().get(target.name());
      if (failed != null && failed.manifestDigest().equals(target.assignment().manifestDigest())) {
        reports.put(target.name(), failedReport(target.name(), failed.version(), failed.reason()));
      }
    }
    report();
  }

  private void restore(String name, InstalledModel slot) {
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
        String reason = "cache: " + e.getMessage();
        LOG.warnf("cannot serve %s %s from the cache: %s", name, version.version(), reason);
        reports.put(
            name,
            new ModelReport(
                name, ModelStatus.FAILED, version.version(), activeInfo(name), null, reason));
        event(EventType.FAILED, state.accepted().sequence(), name, version.version(), reason);
      }
    }
  }

  /**
   * Applies a desired-state payload from MQTT.
   *
   * @param payload the DSSE envelope bytes
   * @return whether an install waits to be retried ({@link #reconcile})
   */
  public synchronized boolean apply(byte[] payload) {
    if (payload.length == 0) {
      // an empty retained message is how MQTT deletes the topic's state: nothing to refuse, and
      // nothing to undo (only a signed, newer desired state changes what this device serves)
      LOG.info("the desired state was cleared on the broker; keeping the accepted one");
      return pending;
    }
    VerifiedDesired verified;
    try {
      verified =
          parts
              .verifier()
              .verify(payload, parts.deviceId(), state.accepted(), parts.clock().instant());
    } catch (RejectedDesiredStateException e) {
      if (e.reason() != Reason.DUPLICATE) {
        LOG.warnf("refused a desired state: %s", e.getMessage());
        event(
            EventType.DESIRED_REJECTED,
            state.accepted().sequence(),
            null,
            null,
            e.failure().text());
      }
      return pending;
    }
    List<Target> targets =
        verified.state().models().stream()
            .map(model -> new Target(model, verified.statements().get(model.name())))
            .toList();
    save(state.accept(verified.acceptedFrom(state.accepted()), targets));
    event(EventType.DESIRED_ACCEPTED, verified.state().sequence(), null, null, null);
    return reconcile();
  }

  /**
   * Brings what serves in line with the accepted desired state: installs what is missing, repairs
   * what the cache lost, and collects garbage once nothing waits.
   *
   * @return whether an install waits to be retried
   */
  public synchronized boolean reconcile() {
    long sequence = state.accepted().sequence();
    boolean retry = false;
    for (Target target : state.targets()) {
      retry |= !install(target, sequence);
    }
    pending = retry;
    if (!retry) {
      collectGarbage();
    }
    report();
    return retry;
  }

  /** Installs one target; false when it should be tried again later. */
  private boolean install(Target target, long sequence) {
    String name = target.name();
    ModelAssignment assignment = target.assignment();
    ReleasePredicate release = target.statement().predicate();
    FailedVersion failed = state.failed().get(name);
    if (failed != null && failed.manifestDigest().equals(assignment.manifestDigest())) {
      return true;
    }
    InstalledModel current = state.models().get(name);
    boolean installed =
        current != null && current.active().manifestDigest().equals(assignment.manifestDigest());
    if (installed && serves(current.active())) {
      return true;
    }
    if (!installed && current != null && release.releaseSeq() <= current.active().releaseSeq()) {
      failForGood(
          target,
          sequence,
          "RELEASE_ROLLBACK: releaseSeq "
              + release.releaseSeq()
              + " of another artifact is not above the installed "
              + current.active().releaseSeq());
      return true;
    }
    reports.put(
        name,
        new ModelReport(
            name,
            ModelStatus.DOWNLOADING,
            release.version(),
            activeInfo(name),
            fallbackInfo(name),
            null));
    report();
    try {
      FetchedArtifact artifact =
          parts
              .fetcher()
              .fetch(
                  assignment.repository(),
                  assignment.manifestDigest(),
                  new ProgressEvents(this, sequence, name, release.version(), parts.clock()));
      checkBoundToStatement(artifact, release);
      event(EventType.VERIFIED, sequence, name, release.version(), null);
      InstalledVersion version = installed(name, assignment, release, artifact);
      parts.models().install(name, load(version));
      event(EventType.VALIDATED, sequence, name, release.version(), null);
      if (!installed) {
        save(state.activate(version));
      }
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
      return true;
    } catch (FetchException e) {
      String reason = e.failure().text();
      if (e.retryable()) {
        retryLater(name, release.version(), sequence, reason);
        return false;
      }
      failForGood(target, sequence, reason);
    } catch (VersionRejectedException | MalformedMessageException | IllegalStateException e) {
      failForGood(target, sequence, e.getMessage());
    } catch (IOException e) {
      retryLater(name, release.version(), sequence, "cache: " + e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retryLater(name, release.version(), sequence, "interrupted");
      return false;
    }
    return true;
  }

  /** Whether this installed version is the one serving. */
  private boolean serves(InstalledVersion version) {
    return parts
        .models()
        .slot(version.name())
        .map(slot -> slot.active().version().equals(version.version()))
        .orElse(false);
  }

  /**
   * Records a probation rollback: the fallback is the installed version again and the rolled-back
   * one is not tried again.
   *
   * @param rollback what the serving slot did
   */
  public synchronized void rolledBack(Rollback rollback) {
    String name = rollback.model();
    String reason = "ROLLED_BACK: " + rollback.reason();
    try {
      save(state.rollBack(name, reason));
    } catch (IllegalStateException e) {
      LOG.warnf("rollback of %s not recorded: %s", name, e.getMessage());
    }
    LOG.warnf("rolled %s back from %s to %s: %s", name, rollback.from(), rollback.to(), reason);
    reports.put(
        name,
        new ModelReport(
            name, ModelStatus.ROLLED_BACK, rollback.from(), activeInfo(name), null, reason));
    event(EventType.ROLLED_BACK, state.accepted().sequence(), name, rollback.from(), reason);
    report();
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
    // golden.json is checked and decoded while ONNX Runtime builds the session: the two are
    // independent, and a large golden output (a recogniser's 265,000 numbers) takes as long
    Digest goldenFile = version.files().get("golden.json");
    CompletableFuture<GoldenVectors> golden =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return read(goldenFile, GoldenVectors.class);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    try {
      Path model = parts.store().verify(version.files().get("model.onnx"));
      ServingSpec spec = read(version.files().get("serving.json"), ServingSpec.class);
      if (!spec.model().equals(version.name())) {
        throw new IllegalStateException(
            "serving.json is for model " + spec.model() + ", not " + version.name());
      }
      return VersionLoader.load(model, spec, () -> joined(golden), parts.providers());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      // never leave a read of the cache running behind this version's outcome
      golden.handle((vectors, failure) -> null).join();
    }
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private <T> T read(Digest digest, Class<T> type) throws IOException {
    try (InputStream in = Files.newInputStream(parts.store().verify(digest))) {
      return codec.decode(in, type);
    }
  }

  private void failForGood(Target target, long sequence, String reason) {
    String name = target.name();
    String version = target.statement().predicate().version();
    LOG.warnf("version %s of %s failed: %s", version, name, reason);
    save(
        state.fail(name, new FailedVersion(target.assignment().manifestDigest(), version, reason)));
    reports.put(name, failedReport(name, version, reason));
    event(EventType.FAILED, sequence, name, version, reason);
  }

  private ModelReport failedReport(String name, String version, String reason) {
    ModelStatus status =
        reason.startsWith("ROLLED_BACK") ? ModelStatus.ROLLED_BACK : ModelStatus.FAILED;
    return new ModelReport(name, status, version, activeInfo(name), fallbackInfo(name), reason);
  }

  private void retryLater(String name, String version, long sequence, String reason) {
    LOG.warnf("version %s of %s not installed yet, retrying later: %s", version, name, reason);
    reports.put(
        name,
        new ModelReport(
            name,
            ModelStatus.PENDING,
            version,
            activeInfo(name),
            fallbackInfo(name),
            reason + "; retrying"));
    event(EventType.FAILED, sequence, name, version, reason + "; retrying");
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
    return parts
        .models()
        .slot(name)
        .map(slot -> slot.active().version())
        .flatMap(version -> installedVersion(name, version))
        .map(this::info)
        .orElse(null);
  }

  private VersionInfo fallbackInfo(String name) {
    return parts
        .models()
        .slot(name)
        .flatMap(slot -> slot.fallback())
        .flatMap(fallback -> installedVersion(name, fallback.version()))
        .map(this::info)
        .orElse(null);
  }

  private Optional<InstalledVersion> installedVersion(String name, String version) {
    InstalledModel slot = state.models().get(name);
    if (slot == null) {
      return Optional.empty();
    }
    return java.util.stream.Stream.of(slot.active(), slot.fallback())
        .filter(v -> v != null && v.version().equals(version))
        .findFirst();
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

  void event(EventType type, long sequence, String model, String version, String reason) {
    event(type, sequence, model, version, null, null, reason);
  }

  void event(
      EventType type,
      long sequence,
      String model,
      String version,
      Long bytesDone,
      Long bytesTotal,
      String reason) {
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
                bytesDone,
                bytesTotal,
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

  /**
   * Whether every assigned model serves, active or fallback; true when none is assigned. Before the
   * first desired state, the installed models count as assigned. Never waits for an install.
   */
  public boolean assignedModelsServe() {
    AgentState now = state;
    if (now == null) {
      return false;
    }
    Set<String> assigned =
        now.targets().isEmpty()
            ? now.models().keySet()
            : now.targets().stream().map(Target::name).collect(Collectors.toSet());
    return assigned.stream().allMatch(name -> parts.models().slot(name).isPresent());
  }

  /** The current state, for tests and health; never waits for an install. */
  public Optional<AgentState> state() {
    return Optional.ofNullable(state);
  }
}
