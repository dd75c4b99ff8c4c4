package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.agent.runtime.Signature;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedDimensionsTest {
  private static final Signature SIGNATURE =
      new Signature(
          List.of(),
          List.of(),
          Map.of("a", List.of("n"), "b", List.of("", "n"), "square", List.of("k", "k")));

  private static ArrayTensor tensor(String name, long... shape) {
    int size = 1;
    for (long dim : shape) {
      size *= (int) dim;
    }
    return new ArrayTensor(name, Datatype.FP32, shape, new float[size]);
  }

  @Test
  void check_refusesTwoSizesForOneNameNamingTheInputTheDimensionAndBothSizes() {
    List<ArrayTensor> inputs = List.of(tensor("a", 3), tensor("b", 2, 4));
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class, () -> SharedDimensions.check(inputs, SIGNATURE, "m"));
    assertEquals(
        "input 'b' has 4 for dimension 'n' where input 'a' has 3; model 'm' takes one size for 'n'",
        e.getMessage());
  }

  @Test
  void check_refusesTwoSizesForOneNameWithinOneInput() {
    List<ArrayTensor> inputs = List.of(tensor("square", 2, 3));
    InvalidRequestException e =
        assertThrows(
            InvalidRequestException.class, () -> SharedDimensions.check(inputs, SIGNATURE, "m"));
    assertEquals(
        "input 'square' has 3 for dimension 'k' where input 'square' has 2; model 'm' takes one"
            + " size for 'k'",
        e.getMessage());
  }

  @Test
  void check_acceptsAgreeingSizesAndIgnoresUnnamedDimensions() {
    SharedDimensions.check(
        List.of(tensor("a", 3), tensor("b", 5, 3), tensor("square", 2, 2)), SIGNATURE, "m");
    SharedDimensions.check(List.of(tensor("unnamed", 7)), SIGNATURE, "m");
  }
}
