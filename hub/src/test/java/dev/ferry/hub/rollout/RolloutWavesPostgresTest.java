package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same waves with the hub on PostgreSQL (row locks with SKIP LOCKED, array statements). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class RolloutWavesPostgresTest extends RolloutWavesTest {}
