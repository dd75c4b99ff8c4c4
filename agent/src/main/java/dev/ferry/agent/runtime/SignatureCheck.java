package dev.ferry.agent.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import dev.ferry.onnx.OrtTypes;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a session's inputs or outputs against those serving.json declares. */
final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * Checks one side.
   *
   * @param side {@code "input"} or {@code "output"}
   * @param declared serving.json's tensors
   * @param model the session's tensors by name
   * @return the declared tensors with every dimension the model fixes filled in
   * @throws SignatureMismatchException naming the tensor and both values
   */
  static List<TensorSpec> check(
      String side, List<TensorSpec> declared, Map<String, NodeInfo> model) {
    for (String name : model.keySet()) {
      if (declared.stream().noneMatch(t -> t.name().equals(name))) {
        throw new SignatureMismatchException(
            "model "
                + side
                + " '"
                + name
                + "' is not declared in serving.json "
                + side
                + "s "
                + names(declared));
      }
    }
    List<TensorSpec> merged = new ArrayList<>();
    for (TensorSpec spec : declared) {
      merged.add(check(side + " '" + spec.name() + "'", spec, node(side, spec, model)));
    }
    return merged;
  }

  private static NodeInfo node(String side, TensorSpec spec, Map<String, NodeInfo> model) {
    NodeInfo node = model.get(spec.name());
    if (node == null) {
      throw new SignatureMismatchException(
          "serving.json "
              + side
              + " '"
              + spec.name()
              + "' is not in the model; the model's "
              + side
              + "s are "
              + model.keySet());
    }
    return node;
  }

  private static TensorSpec check(String what, TensorSpec spec, NodeInfo node) {
    if (!(node.getInfo() instanceof TensorInfo info)) {
      throw new SignatureMismatchException(
          what + " is not a tensor in the model: " + node.getInfo());
    }
    checkDatatype(what, spec, info);
    List<Long> dims = Arrays.stream(info.getShape()).boxed().toList();
    checkRank(what, spec, dims);
    return new TensorSpec(spec.name(), spec.datatype(), merged(what, spec, dims));
  }

  private static void checkDatatype(String what, TensorSpec spec, TensorInfo info) {
    Datatype actual = OrtTypes.datatype(info.onnxType).orElse(null);
    if (actual != spec.datatype()) {
      throw new SignatureMismatchException(
          what
              + " datatype: serving.json says "
              + spec.datatype()
              + ", the model has "
              + (actual == null ? info.onnxType : actual));
    }
  }

  private static void checkRank(String what, TensorSpec spec, List<Long> dims) {
    if (dims.size() != spec.shape().size()) {
      throw new SignatureMismatchException(
          what
              + " rank: serving.json says "
              + spec.shape().size()
              + " "
              + spec.shape()
              + ", the model has "
              + dims.size()
              + " "
              + dims);
    }
  }

  /** The declared shape with each dimension the model fixes filled in; they must agree. */
  private static List<Long> merged(String what, TensorSpec spec, List<Long> dims) {
    List<Long> merged = new ArrayList<>(spec.shape());
    for (int i = 0; i < dims.size(); i++) {
      long declared = spec.shape().get(i);
      long fixed = dims.get(i);
      if (declared != -1 && fixed != -1 && declared != fixed) {
        throw new SignatureMismatchException(
            what + " shape[" + i + "]: serving.json says " + declared + ", the model has " + fixed);
      }
      merged.set(i, declared == -1 ? fixed : declared);
    }
    return merged;
  }

  /** The dimension names of each tensor of the model ("" where unnamed). */
  static Map<String, List<String>> dimensionNames(Map<String, NodeInfo> model) {
    Map<String, List<String>> names = new HashMap<>();
    model.forEach(
        (name, node) -> {
          if (node.getInfo() instanceof TensorInfo info) {
            names.put(
                name,
                Arrays.stream(info.getDimensionNames()).map(d -> d == null ? "" : d).toList());
          }
        });
    return names;
  }

  private static List<String> names(List<TensorSpec> tensors) {
    return tensors.stream().map(TensorSpec::name).toList();
  }
}
