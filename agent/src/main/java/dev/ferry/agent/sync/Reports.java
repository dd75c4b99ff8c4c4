package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.ModelSlot;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.UsableProviders;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.device.VersionInfo;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the agent tells the hub: each model's report (status, versions, reason), the events, and the
 * reported state that gathers the reports.
 */
final class Reports {
  /** Who reports: the device, its agent and the execution providers it can use. */
  record Device(
      String id, String agentVersion, Map<String, String> labels, UsableProviders providers) {}

  private final Device device;
  private final Reporter sink;
  private final Models models;
  private final Supplier<AgentState> state;
  private final IntSupplier rootVersion;
  private final Clock clock;
  private final Map<String, ModelReport> reports = new TreeMap<>();
  private Supplier<String> freshness = () -> null;

  Reports(
      Device device,
      Reporter sink,
      Models models,
      Supplier<AgentState> state,
      IntSupplier rootVersion,
      Clock clock) {
    this.device = device;
    this.sink = sink;
    this.models = models;
    this.state = state;
    this.rootVersion = rootVersion;
    this.clock = clock;
  }

  /** Where the reported freshness comes from. */
  void freshness(Supplier<String> freshness) {
    this.freshness = freshness;
  }

  /** A version is being fetched. */
  void downloading(String name, String version) {
    put(name, ModelStatus.DOWNLOADING, version, activeInfo(name), fallbackInfo(name), null);
    send();
  }

  /**
   * Drops the reports of models neither assigned nor installed any more (a model whose install gave
   * way, failed or waits for a retry, and that a newer desired state no longer assigns): they would
   * otherwise stay DOWNLOADING, PENDING or FAILED.
   *
   * @param names the models assigned or installed
   */
  void keepOnly(java.util.Set<String> names) {
    reports.keySet().retainAll(names);
  }

  /** An installed version serves. */
  void active(InstalledVersion version) {
    String name = version.name();
    put(name, ModelStatus.ACTIVE, version.version(), info(version), fallbackInfo(name), null);
  }

  /** An installed version serves again from the cache after a restart. */
  void restored(InstalledVersion version) {
    put(version.name(), ModelStatus.ACTIVE, version.version(), info(version), null, null);
  }

  /** An installed version does not serve from the cache; the reason is also sent as an event. */
  void notRestored(InstalledVersion version, Failure failure) {
    String name = version.name();
    put(name, ModelStatus.FAILED, version.version(), activeInfo(name), null, failure.text());
    event(EventType.FAILED, name, version.version(), failure.text());
  }

  /** A version failed for good: FAILED, or ROLLED_BACK when probation swapped it back. */
  void failed(String name, String version, Failure failure) {
    ModelStatus status =
        failure.reason() == Reason.ROLLED_BACK ? ModelStatus.ROLLED_BACK : ModelStatus.FAILED;
    put(name, status, version, activeInfo(name), fallbackInfo(name), failure.text());
  }

  /** Probation swapped a version back to its fallback. */
  void rolledBack(String name, String version, Failure failure) {
    put(name, ModelStatus.ROLLED_BACK, version, activeInfo(name), null, failure.text());
    event(EventType.ROLLED_BACK, name, version, failure.text());
  }

  /**
   * A revoked version was withdrawn or refused: FAILED, with the fallback serving or nothing; the
   * reason is also sent as an event.
   */
  void withdrawn(String name, String version, Failure failure) {
    put(name, ModelStatus.FAILED, version, activeInfo(name), fallbackInfo(name), failure.text());
    event(EventType.REVOKED, name, version, failure.text());
  }

  /**
   * A version is not installed yet and will be tried again.
   *
   * @param tell whether the reason is also sent as an event (news, or a reminder)
   */
  void retrying(String name, String version, Failure failure, boolean tell) {
    String reason = failure.text() + "; retrying";
    put(name, ModelStatus.PENDING, version, activeInfo(name), fallbackInfo(name), reason);
    if (tell) {
      event(EventType.FAILED, name, version, reason);
    }
  }

  /** One event for each preferred execution provider that cannot be used here. */
  void unusableProviders() {
    long sequence = state.get().accepted().sequence();
    device
        .providers()
        .refused()
        .forEach(
            (provider, why) ->
                event(
                    EventType.PROVIDER_UNUSABLE,
                    sequence,
                    null,
                    null,
                    "execution provider " + provider + " is not usable: " + why));
  }

  /** Sends an event about the accepted desired state or one of its models. */
  void event(EventType type, String model, String version, String reason) {
    event(type, state.get().accepted().sequence(), model, version, reason);
  }

  /** Sends an event about a given desired sequence. */
  void event(EventType type, long sequence, String model, String version, String reason) {
    sink.event(event(type, sequence, model, version, null, null, reason));
  }

  /** Download progress as events, at most one a second. */
  ProgressEvents progress(String model, String version) {
    long sequence = state.get().accepted().sequence();
    return new ProgressEvents(
        (done, total) -> sink.event(progress(sequence, model, version, done, total)), clock);
  }

  private DeviceEvent progress(long sequence, String model, String version, long done, long total) {
    return event(EventType.DOWNLOAD_PROGRESS, sequence, model, version, done, total, null);
  }

  /** Sends the reported state: accepted sequence, and per model its status and versions. */
  void send() {
    sink.reported(
        new ReportedState(
            device.id(),
            clock.instant(),
            state.get().accepted().sequence(),
            device.agentVersion(),
            device.labels(),
            List.copyOf(device.providers().names()),
            List.copyOf(reports.values()),
            rootVersion.getAsInt(),
            freshness.get(),
            revoked(),
            device.providers().refused()));
  }

  /** The revoked versions this device withdrew or refused, as {@code model@version}. */
  private List<String> revoked() {
    return state.get().failed().entrySet().stream()
        .filter(e -> e.getValue().reason().reason() == Reason.REVOKED)
        .map(e -> e.getKey() + "@" + e.getValue().version())
        .sorted()
        .toList();
  }

  private DeviceEvent event(
      EventType type,
      long sequence,
      String model,
      String version,
      Long bytesDone,
      Long bytesTotal,
      String reason) {
    return new DeviceEvent(
        UUID.randomUUID().toString(),
        device.id(),
        clock.instant(),
        type,
        sequence,
        model,
        version,
        bytesDone,
        bytesTotal,
        reason);
  }

  private void put(
      String name,
      ModelStatus status,
      String version,
      VersionInfo active,
      VersionInfo fallback,
      String reason) {
    reports.put(name, new ModelReport(name, status, version, active, fallback, reason));
  }

  private VersionInfo activeInfo(String name) {
    return info(name, models.slot(name).map(slot -> slot.active().version()));
  }

  private VersionInfo fallbackInfo(String name) {
    return info(name, models.slot(name).flatMap(ModelSlot::fallback).map(LoadedVersion::version));
  }

  /** What state.json records of a serving version of a model, with its provider. */
  private VersionInfo info(String name, Optional<String> serving) {
    return serving.flatMap(version -> installed(name, version)).map(this::info).orElse(null);
  }

  private Optional<InstalledVersion> installed(String name, String version) {
    return Optional.ofNullable(state.get().models().get(name))
        .flatMap(model -> model.version(version));
  }

  private VersionInfo info(InstalledVersion version) {
    return new VersionInfo(
        version.version(),
        version.manifestDigest(),
        version.releaseSeq(),
        provider(version),
        version.variant() == null ? null : version.variant().name());
  }

  private String provider(InstalledVersion version) {
    return models
        .slot(version.name())
        .flatMap(slot -> slot.version(version.version()))
        .map(LoadedVersion::provider)
        .orElse("none");
  }
}
