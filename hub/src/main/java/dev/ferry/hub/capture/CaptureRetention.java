package dev.ferry.hub.capture;

import dev.ferry.hub.db.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every hour deletes each model's datasets older than its retention: {@code
 * ferry.hub.capture.model-retention.<model>} where set, else {@code ferry.hub.capture.retention}
 * (30 days).
 */
@Singleton
public class CaptureRetention {
  private static final Logger LOG = Logger.getLogger(CaptureRetention.class);

  // resolved on the first run, not at start: the registry's address needs the HTTP port bound
  private final Provider<Captures> captures;
  private final Config config;
  private final Duration retention;
  private final PeriodicJob schedule =
      new PeriodicJob(
          "capture retention", Duration.ofMinutes(1), Duration.ofHours(1), this::expire);

  CaptureRetention(
      Provider<Captures> captures,
      Config config,
      @ConfigProperty(name = "ferry.hub.capture.retention", defaultValue = "30d")
          Duration retention) {
    this.captures = captures;
    this.config = config;
    this.retention = retention;
  }

  void start(@Observes StartupEvent event) {
    schedule.start();
  }

  void stop(@Observes ShutdownEvent event) {
    schedule.stop();
  }

  /** Deletes what expired, model by model. */
  private void expire() {
    Captures store = captures.get();
    for (String model : store.models()) {
      for (String name : store.expire(model, retentionOf(model))) {
        LOG.infof("capture dataset %s of %s deleted: retention passed", name, model);
      }
    }
  }

  private Duration retentionOf(String model) {
    return config
        .getOptionalValue("ferry.hub.capture.model-retention." + model, Duration.class)
        .orElse(retention);
  }
}
