package dev.ferry.protocol.release;

import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * One golden vector: inputs and the outputs the model must produce for them.
 *
 * @param inputs the input tensors, at least one
 * @param outputs the expected outputs; empty in a submission that asks the hub to compute them
 */
public record GoldenCase(List<Tensor> inputs, List<Tensor> outputs) {
  /** Checks the fields. */
  public GoldenCase {
    inputs = Fields.nonEmptyList(inputs, "inputs");
    outputs = Fields.list(outputs, "outputs");
  }
}
