package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.grpc.GrpcClient;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerReadyRequest;
import dev.ferry.agent.runtime.Models;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent API behind {@code ferry.agent.api-token-file}: a bearer token, health left open. */
@QuarkusTest
@TestProfile(ApiTokenTest.WithToken.class)
class ApiTokenTest {
  static final String TOKEN = "fat_test-token-0123456789";
  private static final List<String> GUARDED = List.of("/v2", "/v2/models/nope", "/q/metrics");

  @Inject Models models;

  /** Sets the token file. */
  public static class WithToken implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      try {
        Path file = Files.createTempFile("ferry-api-token", ".txt");
        Files.writeString(file, TOKEN + "\n");
        file.toFile().deleteOnExit();
        return Map.of("ferry.agent.api-token-file", file.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Test
  void guarded_refuseNoToken_withTheOipErrorBody() {
    for (String path : GUARDED) {
      given()
          .get(path)
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", "Bearer realm=\"ferry-agent\"")
          .body("error", equalTo(ApiToken.REFUSED));
    }
    assertEquals(3, GUARDED.size());
  }

  @Test
  void guarded_refuseAWrongToken() {
    for (String path : GUARDED) {
      given().header("Authorization", "Bearer " + TOKEN + "x").get(path).then().statusCode(401);
      given().header("Authorization", "Basic " + TOKEN).get(path).then().statusCode(401);
    }
  }

  @Test
  void guarded_answerTheToken() {
    given().auth().oauth2(TOKEN).get("/v2").then().statusCode(200);
    given().auth().oauth2(TOKEN).get("/q/metrics").then().statusCode(200);
    given().auth().oauth2(TOKEN).get("/v2/models/nope").then().statusCode(404);
  }

  @Test
  void health_staysOpen() {
    for (String path :
        List.of("/q/health", "/q/health/live", "/q/health/ready", "/v2/health/live")) {
      given().get(path).then().statusCode(200);
    }
  }

  @Test
  void guarded_coversDottedPaths() {
    given().get("/v2/health/../models/nope").then().statusCode(401);
  }

  @Test
  void grpc_guardedCallsNeedTheToken_healthStaysOpen() throws InterruptedException {
    ServerMetadataRequest server = ServerMetadataRequest.getDefaultInstance();
    try (GrpcClient none = GrpcClient.open();
        GrpcClient wrong = GrpcClient.withAuthorization("Bearer " + TOKEN + "x");
        GrpcClient right = GrpcClient.withAuthorization("Bearer " + TOKEN)) {
      GrpcClient.assertStatus(
          Status.Code.UNAUTHENTICATED, ApiToken.REFUSED, () -> none.stub().serverMetadata(server));
      GrpcClient.assertStatus(
          Status.Code.UNAUTHENTICATED, ApiToken.REFUSED, () -> wrong.stub().serverMetadata(server));
      assertEquals("ferry-agent", right.stub().serverMetadata(server).getName());
      GrpcClient.assertStatus(
          Status.Code.NOT_FOUND,
          "unknown model 'nope'; serving " + models.names(),
          () ->
              right
                  .stub()
                  .modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
      assertTrue(none.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
      assertTrue(none.stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
    }
  }
}
