package dev.ferry.agent.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.onnx.ArrayTensor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes an infer answer into a pooled direct buffer the socket sends as it is: JSON, with each
 * output's elements written straight from its primitive array; or, when the request asked for
 * binary outputs, the JSON header (those outputs carrying {@code parameters.binary_data_size}
 * instead of {@code data}) followed by their bytes, its length in the {@value
 * RequestParser#HEADER_LENGTH} header.
 */
final class ResponseWriter {
  private ResponseWriter() {}

  /**
   * An infer answer, ready to send.
   *
   * @param body the bytes; whoever holds the answer releases it (once sent, or when not sent)
   * @param contentType JSON, or octet-stream with binary outputs
   * @param headerLength the JSON header's length before the binary outputs; -1 when all JSON
   */
  record Answer(ByteBuf body, String contentType, int headerLength) {}

  static Answer write(
      String model, String version, InferRequest request, Collection<ArrayTensor> outputs) {
    long jsonElements =
        outputs.stream().filter(t -> !request.binary(t.name())).mapToLong(ArrayTensor::size).sum();
    ByteBuf body =
        PooledByteBufAllocator.DEFAULT.directBuffer(
            (int) Math.min(256 + 12 * jsonElements, 64 << 20));
    try {
      List<ArrayTensor> binary = new ArrayList<>();
      try (JsonGenerator out =
          RequestParser.JSON.createGenerator((OutputStream) new ByteBufOutputStream(body))) {
        json(out, model, version, request, outputs, binary);
      }
      return binary.isEmpty() ? new Answer(body, JSON_TYPE, -1) : withBinary(body, binary);
    } catch (IOException e) {
      body.release();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      body.release();
      throw e;
    }
  }

  private static final String JSON_TYPE = "application/json";
  private static final String BINARY_TYPE = "application/octet-stream";

  /** The JSON part; the outputs asked for in binary are added to {@code binary}. */
  private static void json(
      JsonGenerator out,
      String model,
      String version,
      InferRequest request,
      Collection<ArrayTensor> outputs,
      List<ArrayTensor> binary)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("model_name", model);
    out.writeStringField("model_version", version);
    if (request.id() != null) {
      out.writeStringField("id", request.id());
    }
    out.writeArrayFieldStart("outputs");
    for (ArrayTensor tensor : outputs) {
      output(out, tensor, request.binary(tensor.name()), binary);
    }
    out.writeEndArray();
    out.writeEndObject();
  }

  private static void output(
      JsonGenerator out, ArrayTensor tensor, boolean inBinary, List<ArrayTensor> binary)
      throws IOException {
    out.writeStartObject();
    out.writeStringField("name", tensor.name());
    out.writeStringField("datatype", tensor.datatype().name());
    long[] shape = tensor.shape();
    out.writeFieldName("shape");
    out.writeArray(shape, 0, shape.length);
    if (inBinary) {
      binary.add(tensor);
      out.writeObjectFieldStart("parameters");
      out.writeNumberField("binary_data_size", BinaryTensors.size(tensor));
      out.writeEndObject();
    } else {
      out.writeFieldName("data");
      data(tensor, out);
    }
    out.writeEndObject();
  }

  /** The binary outputs after the JSON header, each copied once, straight into the buffer. */
  private static Answer withBinary(ByteBuf body, List<ArrayTensor> binary) {
    int headerLength = body.writerIndex();
    long size = 0;
    for (ArrayTensor tensor : binary) {
      size += BinaryTensors.size(tensor);
    }
    body.ensureWritable(Math.toIntExact(size));
    for (ArrayTensor tensor : binary) {
      int length = BinaryTensors.size(tensor);
      BinaryTensors.encode(tensor, body.nioBuffer(body.writerIndex(), length));
      body.writerIndex(body.writerIndex() + length);
    }
    return new Answer(body, BINARY_TYPE, headerLength);
  }

  private static void data(ArrayTensor tensor, JsonGenerator out) throws IOException {
    Object e = tensor.elements();
    out.writeStartArray(e, tensor.size());
    switch (tensor.datatype()) {
      case FP32, FP16, BF16 -> floats((float[]) e, out);
      case FP64 -> doubles((double[]) e, out);
      case BOOL -> bools((byte[]) e, out);
      case INT8 -> bytes((byte[]) e, out);
      case UINT8 -> unsignedBytes((byte[]) e, out);
      case INT16 -> shorts((short[]) e, out);
      case INT32 -> ints((int[]) e, out);
      case INT64 -> longs((long[]) e, out);
      default -> strings((String[]) e, out);
    }
    out.writeEndArray();
  }

  private static void floats(float[] values, JsonGenerator out) throws IOException {
    for (float value : values) {
      out.writeNumber(value);
    }
  }

  private static void doubles(double[] values, JsonGenerator out) throws IOException {
    for (double value : values) {
      out.writeNumber(value);
    }
  }

  private static void bools(byte[] values, JsonGenerator out) throws IOException {
    for (byte value : values) {
      out.writeBoolean(value != 0);
    }
  }

  private static void bytes(byte[] values, JsonGenerator out) throws IOException {
    for (byte value : values) {
      out.writeNumber(value);
    }
  }

  private static void unsignedBytes(byte[] values, JsonGenerator out) throws IOException {
    for (byte value : values) {
      out.writeNumber(Byte.toUnsignedInt(value));
    }
  }

  private static void shorts(short[] values, JsonGenerator out) throws IOException {
    for (short value : values) {
      out.writeNumber(value);
    }
  }

  private static void ints(int[] values, JsonGenerator out) throws IOException {
    for (int value : values) {
      out.writeNumber(value);
    }
  }

  private static void longs(long[] values, JsonGenerator out) throws IOException {
    for (long value : values) {
      out.writeNumber(value);
    }
  }

  private static void strings(String[] values, JsonGenerator out) throws IOException {
    for (String value : values) {
      out.writeString(value);
    }
  }
}
