package dev.ferry.hub.telemetry;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class TelemetryIngestPostgresTest extends TelemetryIngestTest {}
