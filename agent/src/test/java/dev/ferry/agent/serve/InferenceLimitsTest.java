package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.grpc.GrpcClient;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.ModelSlot;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.TestVersions;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * What a caller cannot do to the agent: force a rollback with inputs ONNX Runtime refuses, run more
 * inferences at once than allowed, or make a request's tensors take more memory than allowed.
 */
@QuarkusTest
@TestProfile(InferenceLimitsTest.Small.class)
class InferenceLimitsTest {
  /** 1 KiB of tensors per request, two inferences at once. */
  public static class Small implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          TensorBudget.PROPERTY,
          "1024",
          InferenceLimit.PROPERTY,
          "2",
          BodyTimeoutException.PROPERTY,
          "2s");
    }
  }

  @Inject Models models;
  @Inject InferenceLimit limit;

  @Test
  void inputsOnnxRuntimeRefuses_are400AndNeverRollBackAVersionOnProbation() throws IOException {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("lookup", TestVersions.gather(dir, "lookup", "1.0.0"));
    ModelSlot slot = models.install("lookup", TestVersions.gather(dir, "lookup", "2.0.0"));
    LoadedVersion second = slot.active();
    // before the fix each was a 500 counted by probation: 20 of them rolled 2.0.0 back
    for (int i = 0; i < 25; i++) {
      infer("lookup", indices("[1, 99]"))
          .statusCode(400)
          .body(
              "error",
              startsWith(
                  "model 'lookup' version '2.0.0' refused the request: Error code -"
                      + " ORT_INVALID_ARGUMENT - message: Non-zero status code returned while"
                      + " running Gather node."));
    }
    assertEquals("2.0.0", slot.active().version());
    assertEquals(0, second.errors());
    infer("lookup", indices("[0, 3]")).statusCode(200).body("outputs[0].data[1]", equalTo(4.0f));
  }

  @Test
  void inputsDisagreeingOnANamedDimension_are400AndNeverRollBackAVersionOnProbation()
      throws IOException {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("sum", TestVersions.sharedAdder(dir, "sum", "1.0.0"));
    ModelSlot slot = models.install("sum", TestVersions.sharedAdder(dir, "sum", "2.0.0"));
    LoadedVersion second = slot.active();
    String body =
        "{\"inputs\": [{\"name\": \"a\", \"shape\": [3], \"datatype\": \"FP32\","
            + " \"data\": [1, 2, 3]}, {\"name\": \"b\", \"shape\": [4], \"datatype\":"
            + " \"FP32\", \"data\": [1, 2, 3, 4]}]}";
    // before the check each was ONNX Runtime's broadcast failure, a 500 counted by probation
    for (int i = 0; i < 25; i++) {
      infer("sum", body)
          .statusCode(400)
          .body(
              "error",
              equalTo(
                  "input 'b' has 4 for dimension 'n' where input 'a' has 3; model 'sum' takes"
                      + " one size for 'n'"));
    }
    assertEquals("2.0.0", slot.active().version());
    assertEquals(0, second.errors());
    assertEquals(0, second.requests());
  }

  @Test
  void inputsBroadcastAcrossDimensionsOfDifferentNames_are400AndNeverRollBackAVersion()
      throws IOException {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("plus", TestVersions.adder(dir, "plus", "1.0.0"));
    ModelSlot slot = models.install("plus", TestVersions.adder(dir, "plus", "2.0.0"));
    LoadedVersion second = slot.active();
    String body =
        "{\"inputs\": [{\"name\": \"a\", \"shape\": [3], \"datatype\": \"FP32\","
            + " \"data\": [1, 2, 3]}, {\"name\": \"b\", \"shape\": [4], \"datatype\":"
            + " \"FP32\", \"data\": [1, 2, 3, 4]}]}";
    // a and b have dimensions n and m, so no check before ONNX Runtime sees the mismatch; before
    // the fix its broadcast failure (RUNTIME_EXCEPTION) was a 500 counted by probation
    for (int i = 0; i < 25; i++) {
      infer("plus", body)
          .statusCode(400)
          .body(
              "error",
              startsWith(
                  "model 'plus' version '2.0.0' refused the request: Error code -"
                      + " ORT_RUNTIME_EXCEPTION - message: Non-zero status code returned while"
                      + " running Add node."));
    }
    assertEquals("2.0.0", slot.active().version());
    assertEquals(0, second.errors());
    assertEquals(25, second.requests());
  }

  @Test
  void aBodyThatStopsComing_is408_andGivesItsPermitBack() throws Exception {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(30_000); // before: the permit was held until the 30 min idle timeout
      socket
          .getOutputStream()
          .write(
              ("POST /v2/models/busy/infer HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"in")
                  .getBytes(StandardCharsets.US_ASCII));
      await(() -> limit.permits().availablePermits() == 1, "the request holds a permit");
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
      assertTrue(
          answer.endsWith(
              "{\"error\":\"request body not received within 2 s"
                  + " (ferry.agent.serve.body-timeout): 4 bytes came\"}"),
          answer);
    }
    await(() -> limit.permits().availablePermits() == 2, "the permit is back");
  }

  @Test
  void requestsBeyondTheConcurrencyLimit_are503WithRetryAfter() throws Exception {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("busy", TestVersions.gather(dir, "busy", "1.0.0"));
    int held = limit.permits().drainPermits();
    try {
      assertEquals(2, held);
      for (String path :
          List.of("/v2/models/busy/infer/", "/v2/models/busy/versions/1.0.0/infer/")) {
        // Vert.x routes these to the infer route too: the limit holds for them as well
        given()
            .contentType("application/json")
            .body(indices("[0]"))
            .post(path)
            .then()
            .statusCode(503);
      }
      infer("busy", indices("[0]"))
          .statusCode(503)
          .header("Retry-After", "1")
          .body(
              "error",
              equalTo(
                  "2 inferences are running, the limit (ferry.agent.serve.max-concurrent);"
                      + " retry later"));
    } finally {
      limit.permits().release(held);
    }
    infer("busy", indices("[0]")).statusCode(200);
    infer("busy", indices("[0]")).statusCode(200);
    // a permit is given back when the inference ends, which may be just after its answer was sent
    await(() -> limit.permits().availablePermits() == 2, "both permits are back");
  }

  @Test
  void aClientThatGoesAway_leavesItsPermitHeldUntilTheInferenceEnds() throws Exception {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    LoadedVersion version = TestVersions.gather(dir, "held", "1.0.0");
    models.install("held", version);
    String body = indices("[0]");
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      // the test holds the version's monitor: the request waits in acquiring its lease
      synchronized (version) {
        socket
            .getOutputStream()
            .write(
                ("POST /v2/models/held/infer HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(StandardCharsets.US_ASCII));
        await(() -> blockedOn(version), "the request waits for the lease");
        socket.close();
        await(() -> limit.abandoned() == 1, "the server saw the client go");
        assertEquals(1, limit.permits().availablePermits(), "the inference still holds one");
      }
    }
    await(() -> limit.permits().availablePermits() == 2, "the permit is back");
    assertEquals(1, version.requests(), "the inference ran to its end");
  }

  private static boolean blockedOn(Object monitor) {
    int id = System.identityHashCode(monitor);
    return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(true, false))
        .anyMatch(
            thread ->
                thread.getThreadState() == Thread.State.BLOCKED
                    && thread.getLockInfo() != null
                    && thread.getLockInfo().getIdentityHashCode() == id);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void grpcRequestsBeyondTheConcurrencyLimit_areUnavailable() throws Exception {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("busy-grpc", TestVersions.gather(dir, "busy-grpc", "1.0.0"));
    int held = limit.permits().drainPermits();
    try (GrpcClient client = GrpcClient.open()) {
      assertEquals(2, held);
      GrpcClient.assertStatus(
          Status.Code.UNAVAILABLE,
          "2 inferences are running, the limit (ferry.agent.serve.max-concurrent); retry later",
          () -> client.stub().modelInfer(grpcIndices("busy-grpc", 1)));
      limit.permits().release(held);
      held = 0;
      client.stub().modelInfer(grpcIndices("busy-grpc", 1));
    } finally {
      limit.permits().release(held);
    }
    assertEquals(2, limit.permits().availablePermits());
  }

  @Test
  void grpcRequestsOverTheBudget_areResourceExhausted() throws Exception {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    models.install("sized-grpc", TestVersions.gather(dir, "sized-grpc", "1.0.0"));
    try (GrpcClient client = GrpcClient.open()) {
      client.stub().modelInfer(grpcIndices("sized-grpc", 80));
      GrpcClient.assertStatus(
          Status.Code.RESOURCE_EXHAUSTED,
          "the request's tensors need 1200 bytes (inputs 800, outputs 400), over the"
              + " limit of 1024 (ferry.agent.serve.max-tensor-bytes)",
          () -> client.stub().modelInfer(grpcIndices("sized-grpc", 100)));
    }
  }

  private static ModelInferRequest grpcIndices(String model, int n) {
    return GrpcClient.request(model, GrpcClient.input("i", "INT64", (long) n))
        .addRawInputContents(GrpcClient.raw(new long[n]))
        .build();
  }

  @Test
  void requestsWhoseTensorsTakeMoreThanTheBudget_are413BeforeRunning() throws IOException {
    Path dir = Files.createTempDirectory("ferry-limits-test");
    LoadedVersion version = TestVersions.gather(dir, "sized", "1.0.0");
    models.install("sized", version);
    // 80 indices: 640 bytes in, 320 out; 100: 800 in (under 1024 alone) and 400 out
    infer("sized", indices(zeros(80))).statusCode(200);
    long before = version.requests();
    infer("sized", indices(zeros(100)))
        .statusCode(413)
        .body(
            "error",
            equalTo(
                "the request's tensors need 1200 bytes (inputs 800, outputs 400), over the"
                    + " limit of 1024 (ferry.agent.serve.max-tensor-bytes)"));
    assertEquals(before, version.requests());
  }

  private static String zeros(int n) {
    return Collections.nCopies(n, "0").toString();
  }

  private static String indices(String data) {
    return "{\"inputs\": [{\"name\": \"i\", \"shape\": ["
        + data.split(",").length
        + "], \"datatype\": \"INT64\", \"data\": "
        + data
        + "}]}";
  }

  private static ValidatableResponse infer(String model, String body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .post("/v2/models/" + model + "/infer")
        .then();
  }
}
