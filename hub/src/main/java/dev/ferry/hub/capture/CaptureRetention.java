package dev.ferry.hub.capture;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "ferry-capture-retention");
            thread.setDaemon(true);
            return thread;
          });

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
    timer.scheduleWithFixedDelay(this::expire, 1, 60, TimeUnit.MINUTES);
  }

  void stop(@Observes ShutdownEvent event) {
    timer.shutdownNow();
  }

  /** Deletes what expired, model by model; a failure is retried the next hour. */
  void expire() {
    try {
      Captures store = captures.get();
      for (String model : store.models()) {
        for (String name : store.expire(model, retentionOf(model))) {
          LOG.infof("capture dataset %s of %s deleted: retention passed", name, model);
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("capture retention failed, retried in an hour: %s", e.getMessage());
    }
  }

  private Duration retentionOf(String model) {
    return config
        .getOptionalValue("ferry.hub.capture.model-retention." + model, Duration.class)
        .orElse(retention);
  }
}
