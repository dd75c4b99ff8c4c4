package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same fan-out on PostgreSQL, where replicas share the database. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class FanOutPostgresTest extends FanOutTest {}
