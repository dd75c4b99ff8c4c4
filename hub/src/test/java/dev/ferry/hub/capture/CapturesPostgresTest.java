package dev.ferry.hub.capture;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same packing, exactly-once and retention rules with the hub on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CapturesPostgresTest extends CapturesTest {}
