package dev.ferry.hub.access;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same rules with the hub on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class AccessPostgresTest extends AccessTest {}
