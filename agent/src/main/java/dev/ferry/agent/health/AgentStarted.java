package dev.ferry.agent.health;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.sync.AgentLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once {@code state.json} is loaded and the cached versions were given a chance to serve.
 */
@Startup
@ApplicationScoped
public class AgentStarted implements HealthCheck {
  private final AgentConfig config;
  private final AgentLifecycle lifecycle;

  AgentStarted(AgentConfig config, AgentLifecycle lifecycle) {
    this.config = config;
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("state loaded")
        .status(!config.syncEnabled() || lifecycle.applier().isPresent())
        .build();
  }
}
