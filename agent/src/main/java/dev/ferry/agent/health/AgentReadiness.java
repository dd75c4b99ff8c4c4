package dev.ferry.agent.health;

import dev.ferry.agent.runtime.Models;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when every assigned model serves; see {@link AssignedModels}. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {
  private final AssignedModels assigned;
  private final Models models;

  AgentReadiness(AssignedModels assigned, Models models) {
    this.assigned = assigned;
    this.models = models;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("assigned models serving")
        .status(assigned.serving())
        .withData("serving", String.join(",", models.names()))
        .build();
  }
}
