package dev.ferry.hub;

import dev.ferry.protocol.testing.Services;
import java.util.HashMap;
import java.util.Map;

/** The hub pushing to the real CNCF Distribution registry from {@code services.sh}. */
public class DistributionProfile extends HubTestProfile {
  /** The registry, {@code 127.0.0.1:<port>}. */
  public static String registry() {
    return "127.0.0.1:" + System.getenv().getOrDefault("FERRY_REGISTRY_PORT", "15000");
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    Services.start("registry");
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ferry.hub.registry.url", registry() + "/ferry-it");
    config.put("ferry.hub.registry.plain-http", "true");
    return config;
  }
}
