package dev.ferry.agent.sync;

import dev.ferry.agent.fetch.ArtifactFetcher;
import dev.ferry.protocol.device.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Download progress as {@code DOWNLOAD_PROGRESS} events: at most one a second, and the last. */
final class ProgressEvents implements ArtifactFetcher.Progress {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final Applier applier;
  private final long sequence;
  private final String model;
  private final String version;
  private final Clock clock;
  private Instant last = Instant.MIN;

  ProgressEvents(Applier applier, long sequence, String model, String version, Clock clock) {
    this.applier = applier;
    this.sequence = sequence;
    this.model = model;
    this.version = version;
    this.clock = clock;
  }

  @Override
  public synchronized void update(long done, long total) {
    Instant now = clock.instant();
    if (done < total && now.isBefore(last.plus(INTERVAL))) {
      return;
    }
    last = now;
    applier.event(EventType.DOWNLOAD_PROGRESS, sequence, model, version, done, total, null);
  }
}
