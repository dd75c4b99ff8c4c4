package dev.ferry.agent.serve;

import dev.ferry.protocol.release.TensorSpec;
import java.util.List;

/**
 * Open Inference Protocol model metadata.
 *
 * @param name the model
 * @param versions the versions serving: active first, then the fallback
 * @param platform {@code onnx_onnxv1}
 * @param inputs the inputs
 * @param outputs the outputs
 */
public record ModelMetadata(
    String name,
    List<String> versions,
    String platform,
    List<TensorSpec> inputs,
    List<TensorSpec> outputs) {}
