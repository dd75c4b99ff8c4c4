package dev.ferry.agent.grpc;

import com.google.protobuf.UnsafeByteOperations;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferRequest.InferRequestedOutputTensor;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferResponse;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.ModelInferResponse.InferOutputTensor;
import dev.ferry.agent.serve.BinaryTensors;
import dev.ferry.agent.serve.FieldInput;
import dev.ferry.agent.serve.InferAnswer;
import dev.ferry.agent.serve.InferRequest;
import dev.ferry.agent.serve.InvalidRequestException;
import dev.ferry.onnx.ArrayTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Between {@code ModelInferRequest}/{@code ModelInferResponse} and the serving code's request and
 * answer. Inputs come as {@code raw_input_contents} (one per input, the binary tensor data
 * extension's encoding) or as typed {@code contents}; outputs go back raw when the request came raw
 * or an output has no typed form (FP16, BF16), else typed.
 */
final class InferMessages {
  private InferMessages() {}

  /** The request, its inputs decoded and checked as REST checks them. */
  static InferRequest request(ModelInferRequest request) {
    if (request.getInputsCount() == 0) {
      throw new InvalidRequestException("inputs must be a non-empty array, got []");
    }
    boolean raw = isRaw(request);
    List<ArrayTensor> inputs = new ArrayList<>(request.getInputsCount());
    for (int i = 0; i < request.getInputsCount(); i++) {
      inputs.add(raw ? rawInput(request, i) : typedInput(request.getInputs(i), i));
    }
    List<String> outputs =
        request.getOutputsList().stream().map(InferRequestedOutputTensor::getName).toList();
    String id = request.getId().isEmpty() ? null : request.getId();
    return new InferRequest(id, inputs, outputs, raw, Map.of());
  }

  /** Whether the inputs come as {@code raw_input_contents}: then one for each. */
  static boolean isRaw(ModelInferRequest request) {
    int raw = request.getRawInputContentsCount();
    if (raw > 0 && raw != request.getInputsCount()) {
      throw new InvalidRequestException(
          "raw_input_contents has "
              + raw
              + " entries for "
              + request.getInputsCount()
              + " inputs; send one per input, in the order of inputs");
    }
    return raw > 0;
  }

  private static ArrayTensor rawInput(ModelInferRequest request, int i) {
    InferInputTensor tensor = request.getInputs(i);
    FieldInput input = header(tensor, i);
    if (tensor.hasContents()) {
      throw new InvalidRequestException(
          input.what() + " has both contents and raw_input_contents[" + i + "]; send one");
    }
    String field = "raw_input_contents[" + i + "]";
    return input.raw(request.getRawInputContents(i).asReadOnlyByteBuffer(), field + " size");
  }

  private static ArrayTensor typedInput(InferInputTensor tensor, int i) {
    FieldInput input = header(tensor, i);
    if (!tensor.hasContents()) {
      throw new InvalidRequestException(
          input.what() + " has no contents and the request no raw_input_contents; send one");
    }
    return TypedContents.read(input, tensor.getContents());
  }

  private static FieldInput header(InferInputTensor tensor, int i) {
    return FieldInput.of(
        "inputs[" + i + "]", tensor.getName(), tensor.getDatatype(), tensor.getShapeList());
  }

  /**
   * The response.
   *
   * @param request the request it answers: its id, and whether it came raw ({@link
   *     InferRequest#binaryByDefault})
   */
  static ModelInferResponse response(InferAnswer answer, InferRequest request) {
    ModelInferResponse.Builder out =
        ModelInferResponse.newBuilder()
            .setModelName(answer.model())
            .setModelVersion(answer.version());
    if (request.id() != null) {
      out.setId(request.id());
    }
    boolean raw =
        request.binaryByDefault()
            || answer.outputs().stream().anyMatch(t -> !TypedContents.holds(t.datatype()));
    for (ArrayTensor tensor : answer.outputs()) {
      out.addOutputs(output(tensor, raw));
      if (raw) {
        out.addRawOutputContents(UnsafeByteOperations.unsafeWrap(BinaryTensors.encode(tensor)));
      }
    }
    return out.build();
  }

  private static InferOutputTensor output(ArrayTensor tensor, boolean raw) {
    InferOutputTensor.Builder out =
        InferOutputTensor.newBuilder()
            .setName(tensor.name())
            .setDatatype(tensor.datatype().name())
            .addAllShape(tensor.shapeList());
    if (!raw) {
      out.setContents(TypedContents.write(tensor));
    }
    return out.build();
  }
}
