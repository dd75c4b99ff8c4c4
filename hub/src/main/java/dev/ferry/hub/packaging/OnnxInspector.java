package dev.ferry.hub.packaging;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import dev.ferry.onnx.OrtTypes;
import dev.ferry.onnx.UnsupportedElementTypeException;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Opens a model with ONNX Runtime on the CPU and reads its signature and opset. */
public final class OnnxInspector {
  private OnnxInspector() {}

  /**
   * Loads a model and reads its inputs, outputs and default-domain opset.
   *
   * @param model the {@code .onnx} file (external-data files beside it)
   * @return its signature
   * @throws InvalidModelException if ONNX Runtime does not load it (the message carries ONNX
   *     Runtime's reason), or an input or output is not a tensor of a type the protocol carries
   * @throws UncheckedIOException if the file cannot be read
   */
  public static ModelSignature inspect(Path model) {
    Map<String, List<String>> dimNames = new HashMap<>();
    List<TensorSpec> inputs;
    List<TensorSpec> outputs;
    try (CpuSession session = CpuSession.open(model, OptLevel.NO_OPT)) {
      inputs = specs(session.inputs(), "input", dimNames);
      outputs = specs(session.outputs(), "output", dimNames);
    } catch (OrtException e) {
      throw new InvalidModelException(
          "model signature cannot be read: " + CpuSession.reason(e, model), e);
    }
    try {
      return new ModelSignature(inputs, outputs, OpsetReader.defaultOpset(model), dimNames);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<TensorSpec> specs(
      Map<String, NodeInfo> nodes, String side, Map<String, List<String>> dimNames) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : nodes.values()) {
      String what = side + " " + CpuSession.quote(node.getName());
      TensorInfo info = tensorInfo(node.getInfo(), what);
      specs.add(
          new TensorSpec(
              node.getName(),
              datatype(info, what),
              Arrays.stream(info.getShape()).boxed().toList()));
      List<String> names = symbolicNames(info);
      if (names.stream().anyMatch(name -> !name.isEmpty())) {
        dimNames.put(node.getName(), names);
      }
    }
    return specs;
  }

  private static Datatype datatype(TensorInfo info, String what) {
    try {
      return OrtTypes.require(info.onnxType, what);
    } catch (UnsupportedElementTypeException e) {
      throw new InvalidModelException(e.getMessage(), e);
    }
  }

  private static TensorInfo tensorInfo(ValueInfo info, String what) {
    if (info instanceof TensorInfo tensor) {
      return tensor;
    }
    String kind =
        info instanceof SequenceInfo
            ? "a sequence"
            : info instanceof MapInfo ? "a map" : "not a tensor";
    throw new InvalidModelException(
        what + " is " + kind + "; the hub serves models whose inputs and outputs are all tensors");
  }

  private static List<String> symbolicNames(TensorInfo info) {
    String[] names = info.getDimensionNames();
    List<String> list = new ArrayList<>();
    for (int i = 0; i < info.getShape().length; i++) {
      list.add(names == null || i >= names.length || names[i] == null ? "" : names[i]);
    }
    return list;
  }
}
