package dev.ferry.agent.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.ferry.agent.grpc.v2.GRPCInferenceServiceGrpc;
import dev.ferry.agent.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.InferTensorContents;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.restassured.RestAssured;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** A real grpc-java client of the running test application (plaintext, on its HTTP port). */
public final class GrpcClient implements AutoCloseable {
  private final ManagedChannel channel;
  private final GRPCInferenceServiceBlockingStub stub;

  private GrpcClient(ManagedChannel channel, GRPCInferenceServiceBlockingStub stub) {
    this.channel = channel;
    this.stub = stub;
  }

  /** A client with no token. */
  public static GrpcClient open() {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("localhost", RestAssured.port).usePlaintext().build();
    return new GrpcClient(channel, GRPCInferenceServiceGrpc.newBlockingStub(channel));
  }

  /** A client sending {@code authorization: <value>}. */
  public static GrpcClient withAuthorization(String value) {
    GrpcClient plain = open();
    Metadata headers = new Metadata();
    headers.put(TokenInterceptor.AUTHORIZATION, value);
    return new GrpcClient(
        plain.channel,
        plain.stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)));
  }

  public GRPCInferenceServiceBlockingStub stub() {
    return stub;
  }

  /** Asserts a call fails with this code and description. */
  public static void assertStatus(Status.Code code, String description, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()));
    assertEquals(description, e.getStatus().getDescription());
  }

  /** FP32 elements in the raw (little-endian) encoding. */
  public static ByteString raw(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer);
  }

  /** INT64 elements in the raw encoding. */
  public static ByteString raw(long... values) {
    ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asLongBuffer().put(values);
    return ByteString.copyFrom(buffer);
  }

  /** An input header, no contents. */
  public static InferInputTensor.Builder input(String name, String datatype, Long... shape) {
    return InferInputTensor.newBuilder()
        .setName(name)
        .setDatatype(datatype)
        .addAllShape(List.of(shape));
  }

  /** A request for one model, raw inputs given in order. */
  public static ModelInferRequest.Builder request(String model, InferInputTensor.Builder input) {
    return ModelInferRequest.newBuilder().setModelName(model).addInputs(input);
  }

  /** Typed FP32 contents. */
  public static InferTensorContents fp32(float... values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    return contents.build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
