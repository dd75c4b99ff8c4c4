package dev.ferry.hub.capture;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.registry.ArtifactStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Makes the capture feature of the hub: its files under {@code <data-dir>/captures}. */
@Singleton
public class CaptureBeans {
  @Produces
  @Singleton
  Captures captures(HubConfig config, ArtifactStore store, Clock clock) {
    return new Captures(config.dataDir().resolve("captures"), store, clock);
  }

  @Produces
  @Singleton
  CapturePolicies policies(HubConfig config) {
    return new CapturePolicies(config.dataDir().resolve("captures").resolve("policies"));
  }
}
