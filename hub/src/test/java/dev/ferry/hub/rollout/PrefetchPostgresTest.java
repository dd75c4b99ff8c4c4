package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same prefetches with the hub on PostgreSQL (array statements, its boolean columns). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PrefetchPostgresTest extends PrefetchTest {}
