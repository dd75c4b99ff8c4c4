package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same re-signing after a key rotation with the hub on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class ResignerPostgresTest extends ResignerTest {}
