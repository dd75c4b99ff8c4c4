package dev.ferry.agent.capture;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CaptureTensors;
import java.time.Instant;
import java.util.List;

/**
 * A sampled request waiting in the queue. The tensors are the request's and the answer's own, which
 * nobody changes once served ({@link ArrayTensor#elements()}), so queueing copies nothing; the
 * writer thread encodes them.
 *
 * @param model the model
 * @param version the version that served it
 * @param at when it was served
 * @param failed whether inference failed
 * @param keep which tensors to keep
 * @param inputs the request's inputs
 * @param outputs the answer's outputs; empty when it failed
 */
record Captured(
    String model,
    String version,
    Instant at,
    boolean failed,
    CaptureTensors keep,
    List<ArrayTensor> inputs,
    List<ArrayTensor> outputs) {
  Captured {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
