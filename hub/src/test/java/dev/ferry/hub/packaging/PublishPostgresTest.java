package dev.ferry.hub.packaging;

import dev.ferry.hub.PostgresProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The same publishing rules with the hub's catalog on PostgreSQL. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class PublishPostgresTest extends PublishTest {}
