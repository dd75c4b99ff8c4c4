package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks the inputs of a submitted golden case against the model's signature. */
final class GoldenInputs {
  private GoldenInputs() {}

  /** The case's inputs in the model's input order; each one named, typed and shaped as declared. */
  static List<Tensor> check(int index, GoldenCase golden, ModelSignature signature) {
    String where = "case " + index;
    Map<String, Tensor> given = new HashMap<>();
    for (Tensor tensor : golden.inputs()) {
      TensorSpec spec = find(signature.inputs(), tensor.name());
      String what = where + " input " + Fields.show(tensor.name());
      if (spec == null) {
        throw new InvalidGoldenException(
            what + " is not an input of the model; inputs: " + names(signature.inputs()));
      }
      if (given.put(tensor.name(), tensor) != null) {
        throw new InvalidGoldenException(
            where + " gives input " + Fields.show(tensor.name()) + " twice");
      }
      if (tensor.datatype() != spec.datatype()) {
        throw new InvalidGoldenException(
            what + " must be " + spec.datatype() + ", got " + tensor.datatype());
      }
      if (!spec.accepts(tensor.shape())) {
        throw new InvalidGoldenException(
            what + " must have shape " + spec.shape() + ", got " + tensor.shape());
      }
    }
    List<Tensor> ordered = new ArrayList<>();
    for (TensorSpec spec : signature.inputs()) {
      Tensor tensor = given.get(spec.name());
      if (tensor == null) {
        throw new InvalidGoldenException(
            where
                + " lacks input "
                + Fields.show(spec.name())
                + " ("
                + spec.datatype()
                + " "
                + spec.shape()
                + ")");
      }
      ordered.add(tensor);
    }
    return ordered;
  }

  static TensorSpec find(List<TensorSpec> specs, String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  static List<String> names(List<TensorSpec> specs) {
    return specs.stream().map(TensorSpec::name).toList();
  }
}
