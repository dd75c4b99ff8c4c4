package dev.ferry.agent.grpc;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.grpc.v2.GRPCInferenceServiceGrpc;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelMetadataResponse.TensorMetadata;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelReadyRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelReadyResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerLiveResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerMetadataRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerMetadataResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerReadyRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ServerReadyResponse;
import dev.ferry.agent.serve.InferRequest;
import dev.ferry.agent.serve.Inference;
import dev.ferry.agent.serve.InferenceLimit;
import dev.ferry.agent.serve.InlineDispatch;
import dev.ferry.agent.serve.ModelMetadata;
import dev.ferry.agent.serve.ServerMetadata;
import dev.ferry.protocol.release.TensorSpec;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.grpc.GrpcService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Open Inference Protocol (KServe V2) gRPC, {@code inference.GRPCInferenceService}: the same
 * models, checks and errors as REST, through the same {@link Inference}, within the same {@link
 * InferenceLimit}; an inference runs on a worker thread, or on the event loop that read it where
 * {@link InlineDispatch} says, as over REST. Quarkus finds its services by lookup, so with {@code
 * ferry.agent.grpc.enabled=false} this one is never bound (nor its messages loaded).
 */
@GrpcService
@LookupIfProperty(
    name = AgentConfig.Grpc.ENABLED,
    stringValue = "true",
    lookupIfMissing = true) // AgentConfig.Grpc.ENABLED_DEFAULT
public class InferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  private final Inference inference;
  private final InferenceLimit limit;
  private final InlineDispatch dispatch;
  private final Vertx vertx;

  InferenceService(
      Inference inference, InferenceLimit limit, InlineDispatch dispatch, Vertx vertx) {
    this.inference = inference;
    this.limit = limit;
    this.dispatch = dispatch;
    this.vertx = vertx;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    answer(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    answer(out, () -> ServerReadyResponse.newBuilder().setReady(inference.ready()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    answer(
        out,
        () -> {
          inference.requireReady(request.getName(), request.getVersion());
          return ModelReadyResponse.newBuilder().setReady(true).build();
        });
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
    answer(out, this::server);
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
    answer(out, () -> model(inference.metadata(request.getName(), request.getVersion())));
  }

  /**
   * Beyond {@code ferry.agent.serve.max-concurrent} inferences: UNAVAILABLE, as REST's 503. Called
   * on the event loop, which runs it only where {@link InlineDispatch} says it takes almost
   * nothing.
   */
  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    if (!limit.tryAdmit()) {
      out.onError(Status.UNAVAILABLE.withDescription(limit.refusal()).asRuntimeException());
      return;
    }
    if (dispatch.inline(request.getModelName(), request.getSerializedSize())) {
      run(request, out);
    } else {
      AtomicBoolean ran = new AtomicBoolean();
      Future<Void> running =
          vertx.executeBlocking(
              () -> {
                ran.set(true);
                return run(request, out);
              },
              false);
      if (running.failed() && !ran.get()) {
        // refused at once (Vert.x is stopping): the permit goes back and the client hears why
        limit.release();
        out.onError(
            GrpcErrors.status(
                running.cause() instanceof RuntimeException refused
                    ? refused
                    : new RejectedExecutionException(running.cause())));
      }
    }
  }

  /**
   * Answers one admitted request and counts its time. Its permit goes back once the answer is
   * built, before it is sent: a client that sends its next request as soon as it reads an answer (a
   * closed loop at the limit) would otherwise find its own permit still held, now and then, and be
   * refused.
   */
  private Void run(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    long start = System.nanoTime();
    answer(
        out,
        () -> {
          try {
            return infer(request);
          } finally {
            limit.release();
            dispatch.took(request.getModelName(), System.nanoTime() - start);
          }
        });
    return null;
  }

  private ModelInferResponse infer(ModelInferRequest request) {
    InferRequest parsed = InferMessages.request(request);
    return InferMessages.response(
        inference.infer(request.getModelName(), request.getModelVersion(), parsed), parsed);
  }

  private ServerMetadataResponse server() {
    ServerMetadata server = inference.server();
    return ServerMetadataResponse.newBuilder()
        .setName(server.name())
        .setVersion(server.version())
        .addAllExtensions(server.extensions())
        .build();
  }

  private static ModelMetadataResponse model(ModelMetadata model) {
    ModelMetadataResponse.Builder out =
        ModelMetadataResponse.newBuilder()
            .setName(model.name())
            .addAllVersions(model.versions())
            .setPlatform(model.platform());
    model.inputs().forEach(spec -> out.addInputs(tensor(spec)));
    model.outputs().forEach(spec -> out.addOutputs(tensor(spec)));
    return out.build();
  }

  private static TensorMetadata tensor(TensorSpec spec) {
    return TensorMetadata.newBuilder()
        .setName(spec.name())
        .setDatatype(spec.datatype().name())
        .addAllShape(spec.shape())
        .build();
  }

  /** Sends what the supplier gives, or the status its exception maps to. */
  private static <T> void answer(StreamObserver<T> out, Supplier<T> answer) {
    T value;
    try {
      value = answer.get();
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.status(e));
      return;
    }
    out.onNext(value);
    out.onCompleted();
  }
}
