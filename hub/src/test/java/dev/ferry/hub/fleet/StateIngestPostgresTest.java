package dev.ferry.hub.fleet;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same on PostgreSQL, where a batch is three array statements. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class StateIngestPostgresTest extends StateIngestTest {}
