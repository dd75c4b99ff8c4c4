package dev.ferry.hub.capture;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every {@code ferry.hub.capture.pack-interval} (an hour) packs each model version's finished UTC
 * days into datasets, so a day becomes its dataset within that interval after midnight UTC; samples
 * of a day that arrive later (a device back from offline) go into a further part. Every replica
 * runs it; the day's lease row lets one pack a day, the others skip it.
 */
@Singleton
public class CapturePacking {
  private static final Logger LOG = Logger.getLogger(CapturePacking.class);

  // resolved on the first run, not at start: the registry's address needs the HTTP port bound
  private final Provider<Captures> captures;
  private final Clock clock;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "ferry-capture-packing");
            thread.setDaemon(true);
            return thread;
          });

  CapturePacking(
      Provider<Captures> captures,
      Clock clock,
      @ConfigProperty(name = "ferry.hub.capture.pack-interval", defaultValue = "1h")
          Duration interval) {
    this.captures = captures;
    this.clock = clock;
    this.interval = interval;
  }

  void start(@Observes StartupEvent event) {
    long seconds = interval.toSeconds();
    timer.scheduleWithFixedDelay(this::pack, seconds, seconds, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    timer.shutdownNow();
  }

  /** Packs what finished; a failure is retried at the next run. */
  void pack() {
    try {
      for (DatasetSummary made : captures.get().packFinished(today())) {
        LOG.infof("capture dataset %s packed: %d samples", made.reference(), made.samples());
      }
    } catch (RuntimeException e) {
      LOG.warnf("capture packing failed, retried in %s: %s", interval, e.getMessage());
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
