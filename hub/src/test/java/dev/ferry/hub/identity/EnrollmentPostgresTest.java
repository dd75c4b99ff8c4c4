package dev.ferry.hub.identity;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same enrollment rules on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class EnrollmentPostgresTest extends EnrollmentApiTest {}
