package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same concurrent uploads with the hub on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class CaptureConcurrentUploadPostgresTest extends CaptureConcurrentUploadTest {}
