package dev.ferry.agent.serve;

import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.TensorSpec;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a parsed request against the inputs and outputs of the version that will run it. */
final class RequestCheck {
  private RequestCheck() {}

  /**
   * Checks the inputs: each known once, all present, datatype and shape as declared, and one size
   * for each dimension the model names.
   */
  static void inputs(InferRequest request, LoadedVersion version) {
    Map<String, ArrayTensor> byName = new HashMap<>();
    for (ArrayTensor tensor : request.inputs()) {
      TensorSpec spec = spec(tensor, version);
      if (byName.put(tensor.name(), tensor) != null) {
        throw new InvalidRequestException("input '" + tensor.name() + "' appears twice");
      }
      check(tensor, spec, version.spec().model());
    }
    for (TensorSpec spec : version.inputs()) {
      if (!byName.containsKey(spec.name())) {
        throw new InvalidRequestException("missing input '" + spec.name() + "'; " + takes(version));
      }
    }
    SharedDimensions.check(request.inputs(), version.signature(), version.spec().model());
  }

  private static TensorSpec spec(ArrayTensor tensor, LoadedVersion version) {
    return find(version.inputs(), tensor.name()).orElseThrow(() -> unknown(tensor, version));
  }

  private static InvalidRequestException unknown(ArrayTensor tensor, LoadedVersion version) {
    return new InvalidRequestException("unknown input '" + tensor.name() + "'; " + takes(version));
  }

  private static String takes(LoadedVersion version) {
    return "model '" + version.spec().model() + "' takes " + names(version.inputs());
  }

  private static void check(ArrayTensor tensor, TensorSpec spec, String model) {
    String what = "input '" + tensor.name() + "'";
    if (tensor.datatype() != spec.datatype()) {
      throw new InvalidRequestException(
          what
              + " datatype is "
              + tensor.datatype()
              + ", model '"
              + model
              + "' takes "
              + spec.datatype());
    }
    if (!spec.accepts(tensor.shapeList())) {
      throw new InvalidRequestException(
          what + " shape " + tensor.shapeList() + " does not fit " + spec.shape());
    }
  }

  /** The outputs asked for, each one the model has; empty for all. */
  static Set<String> outputs(InferRequest request, LoadedVersion version) {
    List<TensorSpec> outputs = version.spec().outputs();
    Set<String> wanted = new LinkedHashSet<>();
    for (String name : request.outputs()) {
      if (find(outputs, name).isEmpty()) {
        throw new InvalidRequestException(unknownOutput(name, version));
      }
      wanted.add(name);
    }
    return wanted;
  }

  private static String unknownOutput(String name, LoadedVersion version) {
    return "unknown output '"
        + name
        + "'; model '"
        + version.spec().model()
        + "' returns "
        + names(version.spec().outputs());
  }

  private static Optional<TensorSpec> find(List<TensorSpec> specs, String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static List<String> names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList();
  }
}
