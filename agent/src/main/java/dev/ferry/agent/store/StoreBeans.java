package dev.ferry.agent.store;

import dev.ferry.agent.config.AgentConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the content store and the state file injectable, under the configured data directory. */
public class StoreBeans {
  @Produces
  @Singleton
  ContentStore contentStore(AgentConfig config) {
    return new ContentStore(config.dataDir());
  }

  @Produces
  @Singleton
  StateFile stateFile(AgentConfig config) {
    return new StateFile(config.dataDir());
  }
}
