package dev.ferry.hub.identity;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same token rules, and the same race for a token's last use, on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class EnrollmentTokenPostgresTest extends EnrollmentTokenApiTest {}
