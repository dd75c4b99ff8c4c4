import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model on CUDA (and on CPU, for comparison) in ONNX Runtime, as the GPU agent's build has it:
 * prints the providers this build offers and the latency of single inferences. Run by
 * deploy/gpu-check.sh with the agent's class path; arguments: the model, and the shape of its first
 * input (dynamic dimensions filled in), for example {@code model.onnx 1,3,48,192}.
 */
public final class GpuCheck {
  private static final int WARM_UP = 10;
  private static final int RUNS = 200;

  private GpuCheck() {}

  public static void main(String[] args) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    System.out.println(
        "ONNX Runtime " + env.getVersion() + " offers " + OrtEnvironment.getAvailableProviders());
    byte[] model = Files.readAllBytes(Path.of(args[0]));
    long[] shape = Arrays.stream(args[1].split(",")).mapToLong(Long::parseLong).toArray();
    for (String provider : new String[] {"CUDA", "CPU"}) {
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        if (provider.equals("CUDA")) {
          options.addCUDA(0);
        }
        long started = System.nanoTime();
        try (OrtSession session = env.createSession(model, options)) {
          long built = System.nanoTime() - started;
          System.out.printf(
              "%s: session built in %.1f ms; %s%n",
              provider, built / 1e6, latency(env, session, shape));
        }
      } catch (Exception e) {
        System.out.println(provider + ": does not start here: " + e.getMessage());
      }
    }
  }

  private static String latency(OrtEnvironment env, OrtSession session, long[] shape)
      throws Exception {
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
        inputs.put(input.getKey(), tensor(env, (TensorInfo) input.getValue().getInfo(), shape));
      }
      long[] nanos = new long[RUNS];
      for (int i = 0; i < WARM_UP + RUNS; i++) {
        long start = System.nanoTime();
        try (OrtSession.Result result = session.run(inputs)) {
          if (i >= WARM_UP) {
            nanos[i - WARM_UP] = System.nanoTime() - start;
          }
        }
      }
      Arrays.sort(nanos);
      return String.format(
          "inputs %s, %d inferences: p50 %.3f ms, p99 %.3f ms",
          inputs.keySet(), RUNS, nanos[RUNS / 2] / 1e6, nanos[RUNS * 99 / 100] / 1e6);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  /** An FP32 tensor of 0.5s, its dynamic dimensions taken from the shape given. */
  private static OnnxTensor tensor(OrtEnvironment env, TensorInfo info, long[] shape)
      throws Exception {
    long[] dims = info.getShape();
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dims[i] > 0 ? dims[i] : shape[i];
    }
    float[] data = new float[(int) Arrays.stream(dims).reduce(1, (a, b) -> a * b)];
    Arrays.fill(data, 0.5f);
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), dims);
  }
}
