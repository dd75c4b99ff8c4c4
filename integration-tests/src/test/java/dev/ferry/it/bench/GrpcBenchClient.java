package dev.ferry.it.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.ferry.it.fleet.JarProcess;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * One serving benchmark caller's gRPC client: grpc-java on one channel (HTTP/2, plaintext) calling
 * {@code inference.GRPCInferenceService/ModelInfer} with the input in {@code raw_input_contents},
 * the request encoded once. The messages are written and read with protobuf's wire format here, so
 * the harness needs no generated classes; the answer counts when it carries raw output contents.
 */
final class GrpcBenchClient implements Load.Call {
  private static final MethodDescriptor<byte[], byte[]> MODEL_INFER =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("inference.GRPCInferenceService/ModelInfer")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  private final ManagedChannel channel;
  private final byte[] request;

  private GrpcBenchClient(ManagedChannel channel, byte[] request) {
    this.channel = channel;
    this.request = request;
  }

  /** A caller sending the model's input as raw contents. */
  static GrpcBenchClient raw(JarProcess agent, BenchModel model) {
    return raw(agent.port(), model);
  }

  /** A caller sending the model's input as raw contents to a port on 127.0.0.1. */
  static GrpcBenchClient raw(int port, BenchModel model) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .maxInboundMessageSize(64 << 20)
            .build();
    return new GrpcBenchClient(channel, request(model));
  }

  /** Sends the request and reads the answer: whether it carries raw output contents. */
  @Override
  public boolean call() throws IOException {
    byte[] answer =
        ClientCalls.blockingUnaryCall(channel, MODEL_INFER, CallOptions.DEFAULT, request);
    return rawOutputs(answer) > 0;
  }

  /** {@code ModelInferRequest}: model_name (1), inputs (5), raw_input_contents (7). */
  static byte[] request(BenchModel model) {
    ByteBuffer data = ByteBuffer.allocate(4 * model.elements()).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(model.data());
    return message(
        out -> {
          out.writeString(1, model.name());
          out.writeByteArray(5, input(model));
          out.writeByteArray(7, data.array());
        });
  }

  /** {@code InferInputTensor}: name (1), datatype (2), shape (3, packed). */
  private static byte[] input(BenchModel model) {
    return message(
        out -> {
          out.writeString(1, model.input());
          out.writeString(2, "FP32");
          int size = 0;
          for (long dim : model.shape()) {
            size += CodedOutputStream.computeInt64SizeNoTag(dim);
          }
          out.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
          out.writeUInt32NoTag(size);
          for (long dim : model.shape()) {
            out.writeInt64NoTag(dim);
          }
        });
  }

  /** How many raw_output_contents (6) a {@code ModelInferResponse} carries. */
  static int rawOutputs(byte[] response) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(response);
    int raw = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 6) {
        raw++;
      }
      in.skipField(tag);
    }
    return raw;
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      writer.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Messages as the bytes they are. */
  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
