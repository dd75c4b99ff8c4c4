package dev.ferry.hub.packaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.registry.BlobStore;
import dev.ferry.protocol.testing.OnnxModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishes that fail: nothing is recorded, nothing is tagged, nothing fills the disk. */
@QuarkusTest
@TestProfile(PublishFailureTest.Profile.class)
class PublishFailureTest {
  /** A small upload limit and a registry that fails when the signature is attached. */
  public static class Profile extends HubTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(super.getConfigOverrides());
      config.put("ferry.hub.max-model-size", "65536");
      return config;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(FailingReferrerStore.class);
    }
  }

  @Inject BlobStore store;

  @TempDir Path dir;

  @Test
  void aFailureAfterSigning_leavesNoReleaseAndNoTag() throws Exception {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 3);
    String name = "m" + Long.toHexString(System.nanoTime());
    String token = Api.token("release-manager");
    given()
        .auth()
        .oauth2(token)
        .multiPart("model", model.toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/" + name + "/versions")
        .then()
        .statusCode(503)
        .body("code", equalTo("UNAVAILABLE"))
        .body("message", equalTo("storing release " + name + " 1.0.0 failed: registry went away"));
    given().auth().oauth2(token).get("/api/v1/models/" + name).then().statusCode(404);
    assertEquals(Optional.empty(), store.tag("models/" + name, "1.0.0"));
  }

  @Test
  void anUploadOverTheLimit_gets413() throws Exception {
    Path big = Files.write(dir.resolve("big.onnx"), new byte[200_000]);
    given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .multiPart("model", big.toFile())
        .multiPart("version", "1.0.0")
        .post("/api/v1/models/toobig/versions")
        .then()
        .statusCode(413);
  }
}
