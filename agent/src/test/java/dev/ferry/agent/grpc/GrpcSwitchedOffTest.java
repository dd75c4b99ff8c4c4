package dev.ferry.agent.grpc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With {@code ferry.agent.grpc.enabled=false} no gRPC service answers; REST serves as ever. */
@QuarkusTest
@TestProfile(GrpcSwitchedOffTest.Off.class)
class GrpcSwitchedOffTest {
  /** Switches the endpoint off. */
  public static class Off implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("ferry.agent.grpc.enabled", "false");
    }
  }

  @Test
  void grpcCalls_areUnimplemented() throws InterruptedException {
    try (GrpcClient client = GrpcClient.open()) {
      GrpcClient.assertStatus(
          Status.Code.UNIMPLEMENTED,
          "Method not found: inference.GRPCInferenceService/ServerLive",
          () -> client.stub().serverLive(ServerLiveRequest.getDefaultInstance()));
    }
  }

  @Test
  void rest_stillServes() {
    given().get("/v2/health/live").then().statusCode(200);
    given().get("/v2").then().statusCode(200).body("name", equalTo("ferry-agent"));
  }
}
