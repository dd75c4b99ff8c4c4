package dev.ferry.agent.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ferry.onnx.ArrayTensor;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes an infer answer: JSON, with each output's elements written straight from its primitive
 * array; or, when the request asked for binary outputs, the JSON header (those outputs carrying
 * {@code parameters.binary_data_size} instead of {@code data}) followed by their bytes, its length
 * in the {@value RequestParser#HEADER_LENGTH} header.
 */
final class ResponseWriter {
  private ResponseWriter() {}

  static Response write(
      String model, String version, InferRequest request, Collection<ArrayTensor> outputs) {
    long jsonElements =
        outputs.stream().filter(t -> !request.binary(t.name())).mapToLong(ArrayTensor::size).sum();
    ByteArrayOutputStream body =
        new ByteArrayOutputStream((int) Math.min(256 + 12 * jsonElements, 64 << 20));
    List<ArrayTensor> binary = new ArrayList<>();
    try (JsonGenerator out = RequestParser.JSON.createGenerator(body)) {
      out.writeStartObject();
      out.writeStringField("model_name", model);
      out.writeStringField("model_version", version);
      if (request.id() != null) {
        out.writeStringField("id", request.id());
      }
      out.writeArrayFieldStart("outputs");
      for (ArrayTensor tensor : outputs) {
        out.writeStartObject();
        out.writeStringField("name", tensor.name());
        out.writeStringField("datatype", tensor.datatype().name());
        long[] shape = tensor.shape();
        out.writeFieldName("shape");
        out.writeArray(shape, 0, shape.length);
        if (request.binary(tensor.name())) {
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
      out.writeEndArray();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (binary.isEmpty()) {
      return Response.ok(body.toByteArray(), MediaType.APPLICATION_JSON_TYPE).build();
    }
    int headerLength = body.size();
    for (ArrayTensor tensor : binary) {
      BinaryTensors.encode(tensor, body);
    }
    return Response.ok(body.toByteArray(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
        .header(RequestParser.HEADER_LENGTH, headerLength)
        .build();
  }

  private static void data(ArrayTensor tensor, JsonGenerator out) throws IOException {
    Object e = tensor.elements();
    int n = tensor.size();
    out.writeStartArray(e, n);
    switch (tensor.datatype()) {
      case FP32, FP16, BF16 -> {
        for (float value : (float[]) e) {
          out.writeNumber(value);
        }
      }
      case FP64 -> {
        for (double value : (double[]) e) {
          out.writeNumber(value);
        }
      }
      case BOOL -> {
        for (byte value : (byte[]) e) {
          out.writeBoolean(value != 0);
        }
      }
      case INT8 -> {
        for (byte value : (byte[]) e) {
          out.writeNumber(value);
        }
      }
      case UINT8 -> {
        for (byte value : (byte[]) e) {
          out.writeNumber(Byte.toUnsignedInt(value));
        }
      }
      case INT16 -> {
        for (short value : (short[]) e) {
          out.writeNumber(value);
        }
      }
      case INT32 -> {
        for (int value : (int[]) e) {
          out.writeNumber(value);
        }
      }
      case INT64 -> {
        for (long value : (long[]) e) {
          out.writeNumber(value);
        }
      }
      default -> {
        for (String value : (String[]) e) {
          out.writeString(value);
        }
      }
    }
    out.writeEndArray();
  }
}
