package dev.ferry.agent.grpc;

import static dev.ferry.agent.grpc.GrpcClient.assertStatus;
import static dev.ferry.agent.grpc.GrpcClient.fp32;
import static dev.ferry.agent.grpc.GrpcClient.input;
import static dev.ferry.agent.grpc.GrpcClient.raw;
import static dev.ferry.agent.grpc.GrpcClient.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.InferTensorContents;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelReadyRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerMetadataResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerReadyRequest;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.TestVersions;
import dev.ferry.agent.serve.Inference;
import dev.ferry.agent.serve.InferenceLimit;
import dev.ferry.agent.serve.InlineDispatch;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.OnnxModels;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Open Inference Protocol checklist over gRPC ({@code inference.GRPCInferenceService}) with a
 * real grpc-java client: the same models, answers and error messages as REST ({@code
 * InferenceResourceTest}), errors as gRPC status codes.
 */
@QuarkusTest
class GrpcInferenceTest {
  private static final float[] ROWS = {1, 2, 3, 4, 0, 1, 0, -1};
  private static TestVersions.Linear linear;
  private static GrpcClient client;

  @Inject Models models;
  @Inject Inference inference;
  @Inject InferenceLimit limit;
  @Inject AgentConfig config;

  @AfterAll
  static void disconnect() throws InterruptedException {
    client.close();
  }

  /** Connects (the test port is known once the application runs) and installs the models. */
  @BeforeEach
  void install() throws IOException {
    if (linear != null) {
      return;
    }
    client = GrpcClient.open();
    Path dir = Files.createTempDirectory("ferry-grpc-test");
    linear = TestVersions.linear(dir, "g-linear", "1.0.0", 1);
    models.install("g-linear", linear.version());
    models.install("g-adder", TestVersions.adder(dir, "g-adder"));
    models.install(
        "g-ints",
        TestVersions.identity(
            dir, "g-ints", Datatype.INT64, OnnxModels.INT64, List.of(2L), List.of(1L, 2L)));
    models.install(
        "g-small",
        TestVersions.identity(
            dir, "g-small", Datatype.INT8, OnnxModels.INT8, List.of(2L), List.of(-1L, 1L)));
    models.install(
        "g-words",
        TestVersions.identity(dir, "g-words", Datatype.BYTES, 8, List.of(2L), List.of("a", "b")));
  }

  private static GRPCInferenceServiceBlockingStub stub() {
    return client.stub();
  }

  @Test
  void server_answersLiveReadyAndMetadata() {
    assertTrue(stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
    assertTrue(stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
    ServerMetadataResponse server =
        stub().serverMetadata(ServerMetadataRequest.getDefaultInstance());
    assertEquals("ferry-agent", server.getName());
    assertEquals(List.of("binary_tensor_data"), server.getExtensionsList());
  }

  @Test
  void model_answersMetadataAndReady() {
    for (String version : List.of("", "1.0.0")) {
      ModelMetadataResponse model =
          stub().modelMetadata(metadata("g-linear").setVersion(version).build());
      assertEquals("g-linear", model.getName());
      assertEquals(List.of("1.0.0"), model.getVersionsList());
      assertEquals("onnx_onnxv1", model.getPlatform());
      assertEquals("x", model.getInputs(0).getName());
      assertEquals("FP32", model.getInputs(0).getDatatype());
      assertEquals(List.of(-1L, 4L), model.getInputs(0).getShapeList());
      assertEquals("y", model.getOutputs(0).getName());
      assertTrue(stub().modelReady(ready("g-linear").setVersion(version).build()).getReady());
    }
  }

  @Test
  void model_unknownIsNotFound() {
    String message = "unknown model 'nope'; serving " + models.names();
    assertStatus(
        Status.Code.NOT_FOUND, message, () -> stub().modelMetadata(metadata("nope").build()));
    assertStatus(Status.Code.NOT_FOUND, message, () -> stub().modelReady(ready("nope").build()));
    assertStatus(Status.Code.NOT_FOUND, message, () -> stub().modelInfer(rows("nope").build()));
  }

  @Test
  void model_stillLoadingFromTheCacheAtStart_isUnavailable() {
    String message =
        "model 'g-linear' is loading from the device's cache as the agent starts; retry";
    models.restoring(java.util.Set.of("g-linear"));
    try {
      assertStatus(
          Status.Code.UNAVAILABLE, message, () -> stub().modelReady(ready("g-linear").build()));
      assertStatus(
          Status.Code.UNAVAILABLE, message, () -> stub().modelInfer(rows("g-linear").build()));
    } finally {
      models.restored();
    }
    assertTrue(stub().modelReady(ready("g-linear").build()).getReady());
  }

  @Test
  void version_notServingIsNotFound() {
    String message = "model 'g-linear' has no version '9.9.9' serving; serving [1.0.0]";
    assertStatus(
        Status.Code.NOT_FOUND,
        message,
        () -> stub().modelMetadata(metadata("g-linear").setVersion("9.9.9").build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        message,
        () -> stub().modelReady(ready("g-linear").setVersion("9.9.9").build()));
    assertStatus(
        Status.Code.NOT_FOUND,
        message,
        () -> stub().modelInfer(rows("g-linear").setModelVersion("9.9.9").build()));
  }

  @Test
  void infer_rawContentsAnswerRaw() {
    ModelInferResponse answer = stub().modelInfer(rows("g-linear").setId("req-1").build());
    assertEquals("g-linear", answer.getModelName());
    assertEquals("1.0.0", answer.getModelVersion());
    assertEquals("req-1", answer.getId());
    assertEquals("y", answer.getOutputs(0).getName());
    assertEquals("FP32", answer.getOutputs(0).getDatatype());
    assertEquals(List.of(2L, 3L), answer.getOutputs(0).getShapeList());
    assertFalse(answer.getOutputs(0).hasContents());
    assertEquals(expectedRows(), floats(answer.getRawOutputContents(0)));
  }

  @Test
  void infer_typedContentsAnswerTyped() {
    ModelInferRequest request =
        request("g-linear", input("x", "FP32", 2L, 4L).setContents(fp32(ROWS)))
            .setModelVersion("1.0.0")
            .build();
    ModelInferResponse answer = stub().modelInfer(request);
    assertEquals(0, answer.getRawOutputContentsCount());
    assertEquals("", answer.getId());
    assertEquals(expectedRows(), answer.getOutputs(0).getContents().getFp32ContentsList());
  }

  @Test
  void infer_otherDatatypesRoundTripTyped() {
    InferTensorContents ints =
        InferTensorContents.newBuilder().addInt64Contents(7).addInt64Contents(-8).build();
    assertEquals(
        List.of(7L, -8L), typed("g-ints", "INT64", ints).getContents().getInt64ContentsList());
    InferTensorContents small =
        InferTensorContents.newBuilder().addIntContents(-128).addIntContents(127).build();
    assertEquals(
        List.of(-128, 127), typed("g-small", "INT8", small).getContents().getIntContentsList());
    InferTensorContents words =
        InferTensorContents.newBuilder()
            .addBytesContents(ByteString.copyFromUtf8("hi"))
            .addBytesContents(ByteString.copyFromUtf8("there"))
            .build();
    assertEquals(
        List.of(ByteString.copyFromUtf8("hi"), ByteString.copyFromUtf8("there")),
        typed("g-words", "BYTES", words).getContents().getBytesContentsList());
  }

  @Test
  void infer_rawInt64RoundTrips() {
    ModelInferResponse answer =
        stub()
            .modelInfer(
                request("g-ints", input("x", "INT64", 2L))
                    .addRawInputContents(raw(5L, 6L))
                    .build());
    assertEquals(raw(5L, 6L), answer.getRawOutputContents(0));
  }

  @Test
  void infer_rejectsWhatRestRejects_withTheSameMessages() {
    assertInvalid(
        "unknown input 'z'; model 'g-linear' takes [x]",
        request("g-linear", input("z", "FP32", 1L)).addRawInputContents(raw(1f)));
    assertInvalid(
        "missing input 'b'; model 'g-adder' takes [a, b]",
        request("g-adder", input("a", "FP32", 1L)).addRawInputContents(raw(1f)));
    assertInvalid(
        "input 'x' shape [2, 3] does not fit [-1, 4]",
        request("g-linear", input("x", "FP32", 2L, 3L)).addRawInputContents(raw(new float[6])));
    assertInvalid(
        "input 'x' shape must be an array of non-negative integers, got [-1,4]",
        request("g-linear", input("x", "FP32", -1L, 4L)).addRawInputContents(raw(new float[4])));
    assertInvalid(
        "input 'x' datatype is INT64, model 'g-linear' takes FP32",
        request("g-linear", input("x", "INT64", 1L, 4L)).addRawInputContents(raw(1L, 2L, 3L, 4L)));
    assertInvalid(
        "input 'x' datatype \"FLOAT\" is not one of [BOOL, UINT8, INT8, INT16, INT32, INT64, FP16,"
            + " FP32, FP64, BF16, BYTES]",
        request("g-linear", input("x", "FLOAT", 1L, 4L)).addRawInputContents(raw(new float[4])));
    assertInvalid(
        "inputs[0].name must be a non-empty string, got \"\"",
        request("g-linear", input("", "FP32", 1L, 4L)).addRawInputContents(raw(new float[4])));
    assertInvalid(
        "unknown output 'q'; model 'g-linear' returns [y]",
        rows("g-linear")
            .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("q")));
    assertInvalid(
        "inputs must be a non-empty array, got []",
        ModelInferRequest.newBuilder().setModelName("g-linear"));
  }

  @Test
  void infer_rejectsContentsThatDoNotFit() {
    assertInvalid(
        "input 'x' raw_input_contents[0] size is 12, shape [1, 4] of FP32 takes 16 bytes",
        request("g-linear", input("x", "FP32", 1L, 4L)).addRawInputContents(raw(1f, 2f, 3f)));
    assertInvalid(
        "input 'x' contents holds 3 elements, shape [1, 4] needs 4",
        request("g-linear", input("x", "FP32", 1L, 4L).setContents(fp32(1, 2, 3))));
    assertInvalid(
        "raw_input_contents has 2 entries for 1 inputs; send one per input, in the order of inputs",
        rows("g-linear").addRawInputContents(raw(1f)));
    assertInvalid(
        "input 'x' has both contents and raw_input_contents[0]; send one",
        request("g-linear", input("x", "FP32", 1L, 4L).setContents(fp32(1, 2, 3, 4)))
            .addRawInputContents(raw(1f, 2f, 3f, 4f)));
    assertInvalid(
        "input 'x' has no contents and the request no raw_input_contents; send one",
        request("g-linear", input("x", "FP32", 1L, 4L)));
    assertInvalid(
        "input 'x' contents[1] must be a whole number in [-128, 127] for INT8, got 300",
        request(
            "g-small",
            input("x", "INT8", 2L)
                .setContents(
                    InferTensorContents.newBuilder().addIntContents(1).addIntContents(300))));
  }

  @Test
  void infer_messageOverTheBodyLimitIsResourceExhausted() {
    // 17 MB of raw contents, over quarkus.grpc.server.max-inbound-message-size (16 MiB, as REST)
    ModelInferRequest request =
        request("g-linear", input("x", "FP32", 1L, 4L))
            .addRawInputContents(ByteString.copyFrom(new byte[17_000_000]))
            .build();
    io.grpc.StatusRuntimeException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.grpc.StatusRuntimeException.class, () -> stub().modelInfer(request));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getMessage());
    assertTrue(stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
  }

  @Test
  void infer_aLargeRequestIsReassembledWithoutCopyingItAtEveryFrame() {
    // 8 MB of raw contents reach the server in some 500 HTTP/2 frames of 16 KB. Vert.x gRPC 4.5.27
    // copied everything received so far at every frame (7.6 GB allocated in this JVM for this
    // request, 7 s on the event loop; vertx-grpc#285); 4.5.31 allocates under 100 MB
    int n = 1_000_000;
    float[] a = new float[n];
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
      b[i] = 0.5f;
    }
    ModelInferRequest request =
        request("g-adder", input("a", "FP32", (long) n))
            .addInputs(input("b", "FP32", (long) n))
            .addRawInputContents(raw(a))
            .addRawInputContents(raw(b))
            .build();

    long before = allocatedByLiveThreads();
    ModelInferResponse answer = stub().modelInfer(request);
    long allocated = allocatedByLiveThreads() - before;

    ByteBuffer c = answer.getRawOutputContents(0).asReadOnlyByteBuffer();
    c.order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4L * n, c.remaining());
    assertEquals(n - 0.5f, c.getFloat(4 * (n - 1)));
    assertTrue(
        allocated < 512L << 20,
        "serving one 8 MB request allocated " + (allocated >> 20) + " MiB in this JVM");
  }

  /** Bytes allocated so far by the threads alive now, client's and server's alike. */
  private static long allocatedByLiveThreads() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      sum += Math.max(0, bytes);
    }
    return sum;
  }

  @Test
  void infer_aFailureTheRequestCausedIsInvalidArgumentAndNotCounted() {
    LoadedVersion adder = models.slot("g-adder").orElseThrow().active();
    long errors = adder.errors();
    ModelInferRequest request =
        request("g-adder", input("a", "FP32", 2L))
            .addInputs(input("b", "FP32", 3L))
            .addRawInputContents(raw(1f, 2f))
            .addRawInputContents(raw(1f, 2f, 3f))
            .build();
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.grpc.StatusRuntimeException.class, () -> stub().modelInfer(request));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(
        e.getStatus()
            .getDescription()
            .startsWith("model 'g-adder' version '1.0.0' refused the request: "),
        e.getStatus().getDescription());
    assertEquals(errors, adder.errors());
  }

  private static ModelInferResponse.InferOutputTensor typed(
      String model, String datatype, InferTensorContents contents) {
    long n = elements(contents);
    ModelInferResponse answer =
        stub().modelInfer(request(model, input("x", datatype, n).setContents(contents)).build());
    return answer.getOutputs(0);
  }

  private static long elements(InferTensorContents contents) {
    return contents.getInt64ContentsCount()
        + contents.getIntContentsCount()
        + contents.getBytesContentsCount();
  }

  private static void assertInvalid(String message, ModelInferRequest.Builder request) {
    assertStatus(Status.Code.INVALID_ARGUMENT, message, () -> stub().modelInfer(request.build()));
  }

  private static ModelInferRequest.Builder rows(String model) {
    return request(model, input("x", "FP32", 2L, 4L)).addRawInputContents(raw(ROWS));
  }

  private static ModelMetadataRequest.Builder metadata(String model) {
    return ModelMetadataRequest.newBuilder().setName(model);
  }

  private static ModelReadyRequest.Builder ready(String model) {
    return ModelReadyRequest.newBuilder().setName(model);
  }

  private static List<Float> expectedRows() {
    return linear.expectedRows(new double[] {1, 2, 3, 4}, new double[] {0, 1, 0, -1});
  }

  private static List<Float> floats(ByteString raw) {
    ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    List<Float> out = new ArrayList<>();
    while (buffer.hasRemaining()) {
      out.add(buffer.getFloat());
    }
    return out;
  }

  @Test
  void infer_givesItsPermitBackBeforeItsAnswerIsSent() throws Exception {
    // before: given back after the answer was handed to the stream, so a closed-loop client at
    // the limit now and then sent its next request while its own permit was still held (seen in
    // B3 at concurrency 8: UNAVAILABLE, 8 inferences are running)
    Vertx workers = Vertx.vertx();
    try {
      InferenceService service =
          new InferenceService(inference, limit, new InlineDispatch(), workers);
      CompletableFuture<Integer> freeWhenAnswered = new CompletableFuture<>();
      service.modelInfer(
          request("g-linear", input("x", "FP32", 1L, 4L))
              .addRawInputContents(raw(1f, 2f, 3f, 4f))
              .build(),
          observer(
              answer -> freeWhenAnswered.complete(freePermits()),
              freeWhenAnswered::completeExceptionally));
      assertEquals(config.serve().maxConcurrent(), freeWhenAnswered.get(10, TimeUnit.SECONDS));
    } finally {
      workers.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static StreamObserver<ModelInferResponse> observer(
      java.util.function.Consumer<ModelInferResponse> onNext,
      java.util.function.Consumer<Throwable> onError) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ModelInferResponse value) {
        onNext.accept(value);
      }

      @Override
      public void onError(Throwable t) {
        onError.accept(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  private int freePermits() {
    int free = 0;
    while (limit.tryAdmit()) {
      free++;
    }
    for (int i = 0; i < free; i++) {
      limit.release();
    }
    return free;
  }

  @Test
  void infer_thatTheWorkersRefuse_isUnavailableAndGivesItsPermitBack() throws Exception {
    // a stopped Vert.x refuses blocking work, as the agent's does while it shuts down
    Vertx stopped = Vertx.vertx();
    stopped.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    InferenceService service =
        new InferenceService(inference, limit, new InlineDispatch(), stopped);
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    service.modelInfer(
        request("g-linear", input("x", "FP32", 1L, 4L))
            .addRawInputContents(raw(1f, 2f, 3f, 4f))
            .build(),
        observer(
            answer -> error.completeExceptionally(new AssertionError("answered: " + answer)),
            error::complete));
    Status status = Status.fromThrowable(error.get(10, TimeUnit.SECONDS));
    assertEquals(Status.Code.UNAVAILABLE, status.getCode(), status.toString());
    assertEquals("the agent is stopping; retry later", status.getDescription());
    assertEquals(config.serve().maxConcurrent(), freePermits(), "every permit is free again");
  }
}
