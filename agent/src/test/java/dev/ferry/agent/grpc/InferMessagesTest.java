package dev.ferry.agent.grpc;

import static dev.ferry.agent.grpc.GrpcClient.input;
import static dev.ferry.agent.grpc.GrpcClient.raw;
import static dev.ferry.agent.grpc.GrpcClient.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.InferTensorContents;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferResponse;
import dev.ferry.agent.serve.InferAnswer;
import dev.ferry.agent.serve.InferRequest;
import dev.ferry.agent.serve.InvalidRequestException;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Between the protocol's messages and the serving code's request and answer, without a server. */
class InferMessagesTest {

  @Test
  void request_rawInputsAreDecodedAndAnsweredRaw() {
    InferRequest parsed =
        InferMessages.request(
            request("m", input("x", "FP32", 1L, 2L)).addRawInputContents(raw(1.5f, -2f)).build());
    ArrayTensor x = parsed.inputs().get(0);
    assertEquals("x", x.name());
    assertEquals(Datatype.FP32, x.datatype());
    assertArrayEquals(new long[] {1, 2}, x.shape());
    assertArrayEquals(new float[] {1.5f, -2f}, (float[]) x.elements());
    assertTrue(parsed.binaryByDefault(), "raw in, raw out");
    assertNull(parsed.id());
  }

  @Test
  void typedContents_roundTripEveryDatatypeThatHasThem() {
    List<InferTensorContents> contents =
        List.of(
            InferTensorContents.newBuilder().addFp32Contents(0.5f).build(),
            InferTensorContents.newBuilder().addFp64Contents(0.25).build(),
            InferTensorContents.newBuilder().addBoolContents(true).build(),
            InferTensorContents.newBuilder().addIntContents(-7).build(),
            InferTensorContents.newBuilder().addUintContents(255).build(),
            InferTensorContents.newBuilder().addIntContents(-300).build(),
            InferTensorContents.newBuilder().addIntContents(70000).build(),
            InferTensorContents.newBuilder().addInt64Contents(1L << 40).build(),
            InferTensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("wörd"))
                .build());
    List<String> datatypes =
        List.of("FP32", "FP64", "BOOL", "INT8", "UINT8", "INT16", "INT32", "INT64", "BYTES");
    for (int i = 0; i < datatypes.size(); i++) {
      InferRequest parsed =
          InferMessages.request(
              request("m", input("x", datatypes.get(i), 1L).setContents(contents.get(i))).build());
      ModelInferResponse answer =
          InferMessages.response(new InferAnswer("m", "1", parsed.inputs()), parsed);
      assertEquals(0, answer.getRawOutputContentsCount(), datatypes.get(i));
      assertEquals(contents.get(i), answer.getOutputs(0).getContents(), datatypes.get(i));
    }
    assertEquals(9, datatypes.size());
  }

  @Test
  void response_isRawWhenAnOutputHasNoTypedForm() {
    InferRequest typed =
        InferMessages.request(
            request("m", input("x", "FP32", 1L).setContents(GrpcClient.fp32(1))).build());
    ArrayTensor half = new ArrayTensor("h", Datatype.FP16, new long[] {1}, new float[] {1f});
    ModelInferResponse answer =
        InferMessages.response(new InferAnswer("m", "1", List.of(half)), typed);
    assertEquals(ByteString.copyFrom(new byte[] {0, 0x3c}), answer.getRawOutputContents(0));
  }

  @Test
  void request_rejectsTypedContentsForFp16() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                InferMessages.request(
                    request("m", input("x", "FP16", 1L).setContents(GrpcClient.fp32(1))).build()));
    assertEquals(
        "input 'x' of FP16 has no typed contents in the protocol; send it in raw_input_contents",
        e.getMessage());
  }

  @Test
  void request_rejectsUnsignedBytesOutOfRange() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                InferMessages.request(
                    request(
                            "m",
                            input("x", "UINT8", 1L)
                                .setContents(InferTensorContents.newBuilder().addUintContents(256)))
                        .build()));
    assertEquals(
        "input 'x' contents[0] must be a whole number in [0, 255] for UINT8, got 256",
        e.getMessage());
  }

  @Test
  void request_rejectsBytesThatAreNotUtf8() {
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class,
            () ->
                InferMessages.request(
                    request(
                            "m",
                            input("x", "BYTES", 1L)
                                .setContents(
                                    InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.copyFrom(new byte[] {-1}))))
                        .build()));
    assertEquals(
        "input 'x' contents[0] is not UTF-8 text, which ONNX Runtime's strings need",
        e.getMessage());
  }
}
