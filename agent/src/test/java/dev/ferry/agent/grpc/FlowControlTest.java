package dev.ferry.agent.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Http2Windows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/**
 * What the agent's HTTP/2 server (gRPC's, and REST's over h2) lets a client send before it updates
 * its windows: before, HTTP/2's default of 64 KiB made a large tensor wait a round trip every 32
 * KiB (BENCHMARKS.md B3, "gRPC over a link").
 */
@QuarkusTest
class FlowControlTest {
  @Test
  void aStreamMaySendFourMebibytes_andAConnectionSixteen_beforeTheAgentUpdatesItsWindows()
      throws Exception {
    assertEquals(new Http2Windows(4 << 20, 16 << 20), Http2Windows.of(RestAssured.port));
  }
}
