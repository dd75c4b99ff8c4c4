package dev.ferry.hub.capture;

import dev.ferry.hub.db.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
  private final PeriodicJob schedule;

  CapturePacking(
      Provider<Captures> captures,
      Clock clock,
      @ConfigProperty(name = "ferry.hub.capture.pack-interval", defaultValue = "1h")
          Duration interval) {
    this.captures = captures;
    this.clock = clock;
    this.schedule = new PeriodicJob("capture packing", interval, interval, this::pack);
  }

  void start(@Observes StartupEvent event) {
    schedule.start();
  }

  void stop(@Observes ShutdownEvent event) {
    schedule.stop();
  }

  /** Packs what finished. */
  private void pack() {
    for (DatasetSummary made : captures.get().packFinished(today())) {
      LOG.infof("capture dataset %s packed: %d samples", made.reference(), made.samples());
    }
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }
}
