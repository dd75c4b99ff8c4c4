package dev.ferry.agent.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class AgentHealthIT extends AgentHealthTest {}
