package dev.ferry.agent.health;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.sync.AgentLifecycle;
import dev.ferry.agent.sync.Applier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Whether every assigned model serves (its active version or its fallback), and true when none is
 * assigned yet: the readiness both SmallRye Health and {@code /v2/health/ready} report. It never
 * depends on the network, so an offline agent serving its cache is ready.
 */
@ApplicationScoped
public class AssignedModels {
  private final AgentConfig config;
  private final AgentLifecycle lifecycle;

  AssignedModels(AgentConfig config, AgentLifecycle lifecycle) {
    this.config = config;
    this.lifecycle = lifecycle;
  }

  /** Whether the agent is ready; with sync off it serves whatever the cache holds. */
  public boolean serving() {
    if (!config.syncEnabled()) {
      return true;
    }
    Optional<Applier> applier = lifecycle.applier();
    return applier.isPresent() && applier.get().assignedModelsServe();
  }
}
