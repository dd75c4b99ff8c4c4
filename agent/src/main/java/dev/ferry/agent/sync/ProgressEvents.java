package dev.ferry.agent.sync;

import dev.ferry.agent.fetch.ArtifactFetcher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Download progress as {@code DOWNLOAD_PROGRESS} events: at most one a second, and the last. */
final class ProgressEvents implements ArtifactFetcher.Progress {
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private final ArtifactFetcher.Progress events;
  private final Clock clock;
  private Instant last = Instant.MIN;

  /**
   * @param events sends one progress event
   * @param clock the clock
   */
  ProgressEvents(ArtifactFetcher.Progress events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  @Override
  public synchronized void update(long done, long total) {
    Instant now = clock.instant();
    if (done < total && now.isBefore(last.plus(INTERVAL))) {
      return;
    }
    last = now;
    events.update(done, total);
  }
}
