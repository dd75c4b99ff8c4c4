package dev.ferry.hub.identity;

import dev.ferry.hub.HubTestProfile;
import java.util.HashMap;
import java.util.Map;

/** The hub holding enrolled devices PENDING until an admin accepts them. */
public class ManualEnrollmentProfile extends HubTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ferry.hub.enrollment.policy", "manual");
    return config;
  }
}
