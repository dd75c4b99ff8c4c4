package dev.ferry.hub.health;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class HubHealthIT extends HubHealthTest {}
