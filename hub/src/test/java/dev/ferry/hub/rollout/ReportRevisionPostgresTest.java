package dev.ferry.hub.rollout;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same on PostgreSQL (the reports marked read in one array statement). */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class ReportRevisionPostgresTest extends ReportRevisionTest {}
