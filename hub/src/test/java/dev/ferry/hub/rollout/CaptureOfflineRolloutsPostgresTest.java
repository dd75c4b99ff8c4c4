package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same offline-rollouts capture rules with the hub on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CaptureOfflineRolloutsPostgresTest extends CaptureOfflineRolloutsTest {}
