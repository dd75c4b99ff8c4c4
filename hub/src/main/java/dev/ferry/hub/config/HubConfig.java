package dev.ferry.hub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** The hub's configuration, {@code ferry.hub.*}. */
@ConfigMapping(prefix = "ferry.hub")
public interface HubConfig {
  /** The directory that holds all of the hub's state; the embedded registry lives in registry/. */
  @WithDefault("./ferry-data")
  Path dataDir();
}
