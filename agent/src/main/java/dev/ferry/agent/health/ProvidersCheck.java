package dev.ferry.agent.health;

import dev.ferry.agent.runtime.UsableProviders;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The execution providers usable here, and each preferred one that is not with why, as data of a
 * check that stays UP: the agent serves on the next provider it prefers, CPU at the last.
 */
@Readiness
@ApplicationScoped
public class ProvidersCheck implements HealthCheck {
  private final UsableProviders usable;

  ProvidersCheck(UsableProviders usable) {
    this.usable = usable;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("execution providers")
            .up()
            .withData("usable", String.join(",", usable.names()));
    usable.refused().forEach((provider, why) -> response.withData("unusable." + provider, why));
    return response.build();
  }
}
