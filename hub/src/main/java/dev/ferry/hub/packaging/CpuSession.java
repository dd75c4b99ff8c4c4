package dev.ferry.hub.packaging;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.ElementOutOfRangeException;
import dev.ferry.onnx.OrtTensors;
import dev.ferry.onnx.UnsupportedElementTypeException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ONNX Runtime session on the CPU provider, opened from a model file. */
final class CpuSession implements AutoCloseable {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private final OrtSession session;

  private CpuSession(OrtSession session) {
    this.session = session;
  }

  /**
   * Opens a model; {@link InvalidModelException} with ONNX Runtime's reason if it does not load.
   */
  static CpuSession open(Path model, OptLevel optimization) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(optimization);
      return new CpuSession(ENV.createSession(model.toString(), options));
    } catch (OrtException e) {
      throw new InvalidModelException(
          "model does not load in ONNX Runtime: " + reason(e, model), e);
    }
  }

  Map<String, NodeInfo> inputs() throws OrtException {
    return session.getInputInfo();
  }

  Map<String, NodeInfo> outputs() throws OrtException {
    return session.getOutputInfo();
  }

  /**
   * Runs the model once.
   *
   * @param inputs one tensor per model input, already checked against the signature
   * @param where the case, for messages: {@code "case 0"}
   * @return the outputs by name, in the order ONNX Runtime returns them
   */
  Map<String, Tensor> run(List<Tensor> inputs, String where) throws OrtException {
    List<OnnxTensor> created = new ArrayList<>();
    try {
      Map<String, OnnxTensor> feed = new LinkedHashMap<>();
      for (Tensor input : inputs) {
        OnnxTensor tensor = OrtTensors.create(ENV, arrays(input, where));
        created.add(tensor);
        feed.put(input.name(), tensor);
      }
      try (OrtSession.Result result = session.run(feed)) {
        return read(result, where);
      }
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  private static Map<String, Tensor> read(OrtSession.Result result, String where)
      throws OrtException {
    Map<String, Tensor> outputs = new LinkedHashMap<>();
    for (Map.Entry<String, OnnxValue> entry : result) {
      if (!(entry.getValue() instanceof OnnxTensor tensor)) {
        throw new InvalidModelException(
            where + " output " + quote(entry.getKey()) + " is not a tensor");
      }
      outputs.put(entry.getKey(), read(entry.getKey(), tensor));
    }
    return outputs;
  }

  /** An input's elements, each checked against its datatype. */
  private static ArrayTensor arrays(Tensor input, String where) {
    try {
      return ArrayTensor.of(input, where + " input " + quote(input.name()));
    } catch (ElementOutOfRangeException e) {
      throw new InvalidGoldenException(e.getMessage(), e);
    }
  }

  /** An output's elements as JSON decoding yields them: floats as the doubles they are. */
  private static Tensor read(String name, OnnxTensor tensor) throws OrtException {
    try {
      return OrtTensors.read(name, tensor).toTensor();
    } catch (UnsupportedElementTypeException e) {
      throw new InvalidModelException(e.getMessage(), e);
    }
  }

  /** ONNX Runtime's message, with the server's path of the model replaced by its file name. */
  static String reason(OrtException e, Path model) {
    String message = String.valueOf(e.getMessage());
    String absolute = model.toAbsolutePath().toString();
    return message
        .replace(absolute, model.getFileName().toString())
        .replace(model.toString(), model.getFileName().toString());
  }

  static String quote(String name) {
    return Fields.show(name);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close an ONNX Runtime session", e);
    }
  }
}
