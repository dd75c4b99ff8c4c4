package dev.ferry.hub.capture;

import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.Device;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.registry.ArtifactStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Makes the capture feature of the hub: its tables in the hub's database, its datasets in the
 * registry.
 */
@Singleton
public class CaptureBeans {
  @Produces
  @Singleton
  Captures captures(Database db, ArtifactStore store, Clock clock) {
    return new Captures(db, store, clock);
  }

  @Produces
  @Singleton
  CaptureIntake intake(
      Catalog catalog,
      CapturePolicies policies,
      Devices devices,
      @ConfigProperty(name = "ferry.hub.capture.max-sample-bytes", defaultValue = "4194304")
          long maxSampleBytes,
      @ConfigProperty(name = "ferry.hub.capture.retention", defaultValue = "30d")
          Duration retention) {
    return new CaptureIntake(
        new CaptureGrants(catalog, policies),
        new CaptureLimits(maxSampleBytes, retention),
        id -> devices.find(id).map(Device::reportedLabels).orElse(Map.of()));
  }
}
