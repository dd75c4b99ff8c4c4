package dev.ferry.agent.health;

import dev.ferry.agent.sync.AgentLifecycle;
import dev.ferry.agent.sync.Freshness;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether desired states are fresh, as data of a check that stays UP: a STALE agent (no fresh,
 * correctly signed desired state for {@code ferry.agent.trust.stale-after}) is a warning to
 * operators, and must not be taken out of service for it.
 */
@Readiness
@ApplicationScoped
public class FreshnessCheck implements HealthCheck {
  private final AgentLifecycle lifecycle;

  FreshnessCheck(AgentLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response = HealthCheckResponse.named("desired state freshness").up();
    Optional<Freshness> freshness = lifecycle.freshness();
    freshness.ifPresent(
        f ->
            response
                .withData("freshness", f.label())
                .withData("stale", f.stale())
                .withData("lastFreshDesiredState", f.lastFresh().toString())
                .withData("staleAfter", f.staleAfter().toString()));
    return response.build();
  }
}
