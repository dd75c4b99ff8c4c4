package dev.ferry.agent.serve;

import dev.ferry.onnx.ArrayTensor;
import java.util.List;

/**
 * What an inference gave, before a transport writes it.
 *
 * @param model the model that ran
 * @param version its version that ran
 * @param outputs the outputs, in the model's order
 */
public record InferAnswer(String model, String version, List<ArrayTensor> outputs) {
  /** Copies the outputs. */
  public InferAnswer {
    outputs = List.copyOf(outputs);
  }
}
