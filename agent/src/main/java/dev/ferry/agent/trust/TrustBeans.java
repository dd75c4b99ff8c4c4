package dev.ferry.agent.trust;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the trust store and the desired-state verifier injectable, from the agent's config. */
public class TrustBeans {
  @Produces
  @Singleton
  TrustStore trustStore(AgentConfig config) {
    return TrustStore.load(config.trustRoot(), config.dataDir(), new JsonCodec());
  }

  @Produces
  @Singleton
  DesiredStateVerifier desiredStateVerifier(TrustStore trust) {
    return new DesiredStateVerifier(trust::root, new JsonCodec());
  }
}
