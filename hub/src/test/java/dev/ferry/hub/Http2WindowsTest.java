package dev.ferry.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Http2Windows;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * What the hub's HTTP/2 server (what a client reaching it over TLS negotiates) lets a client send
 * before it updates its windows: before, HTTP/2's default of 64 KiB held a model's upload to some
 * 32 KiB a round trip (BENCHMARKS.md, "Other measurements").
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class Http2WindowsTest {
  @Test
  void aStreamMaySendFourMebibytes_andAConnectionSixteen_beforeTheHubUpdatesItsWindows()
      throws Exception {
    assertEquals(new Http2Windows(4 << 20, 16 << 20), Http2Windows.of(RestAssured.port));
  }
}
