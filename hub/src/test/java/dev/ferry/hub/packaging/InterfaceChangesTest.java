package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.release.SessionHints;
import dev.ferry.protocol.release.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InterfaceChangesTest {
  private static TensorSpec fp32(String name, long... shape) {
    return new TensorSpec(name, Datatype.FP32, java.util.Arrays.stream(shape).boxed().toList());
  }

  private static ModelSignature model(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    return new ModelSignature(inputs, outputs, 17, Map.of());
  }

  private static List<String> changes(ModelSignature before, ModelSignature after) {
    return InterfaceChanges.breaking(
        before.servingSpec("m", "1.0.0", List.of(), SessionHints.NONE), after);
  }

  private static final ModelSignature V1 =
      model(List.of(fp32("x", 1, 3, 48, 192)), List.of(fp32("y", 1, 25, 6625)));

  @Test
  void lineOf_isTheMajor_orTheMinorBelowOne_andNoneForAPreRelease() {
    assertEquals(Optional.of("1.x"), InterfaceChanges.lineOf("1.4.0"));
    assertEquals(Optional.of("12.x"), InterfaceChanges.lineOf("12.0.3+build.7"));
    assertEquals(Optional.of("0.3.x"), InterfaceChanges.lineOf("0.3.1"));
    assertEquals(Optional.empty(), InterfaceChanges.lineOf("2.0.0-rc.1"));
    assertEquals("2.0.0", InterfaceChanges.nextLine("1.4.0", List.of("1.3.0", "1.4.0-rc.1")));
    assertEquals(
        "3.0.0", InterfaceChanges.nextLine("1.4.0", List.of("1.0.0", "2.0.0", "3.0.0-rc.1")));
    assertEquals("0.4.0", InterfaceChanges.nextLine("0.3.1", List.of("0.3.0")));
    assertEquals("0.6.0", InterfaceChanges.nextLine("0.3.1", List.of("0.5.2", "1.0.0")));
    // semver bounds no number: a major past a long's range is read, not a 500
    assertEquals(
        "100000000000000000000.0.0",
        InterfaceChanges.nextLine("99999999999999999999.1.0", List.of("1.0.0")));
  }

  @Test
  void theSameInterface_orAnOutputAdded_breaksNothing() {
    assertEquals(List.of(), changes(V1, V1));
    assertEquals(
        List.of(),
        changes(
            V1,
            model(
                List.of(fp32("x", 1, 3, 48, 192)),
                List.of(fp32("y", 1, 25, 6625), fp32("scores", 1, 25)))));
  }

  @Test
  void anInputMadeDynamic_stillTakesWhatItTook_butAFixedOneChangedDoesNot() {
    assertEquals(
        List.of(),
        changes(V1, model(List.of(fp32("x", -1, 3, 48, -1)), List.of(fp32("y", 1, 25, 6625)))));
    assertEquals(
        List.of("input 'x' has shape [1, 3, 48, 320], was [1, 3, 48, 192]"),
        changes(V1, model(List.of(fp32("x", 1, 3, 48, 320)), List.of(fp32("y", 1, 25, 6625)))));
    ModelSignature dynamic =
        model(List.of(fp32("x", -1, 3, 48, 192)), List.of(fp32("y", 1, 25, 6625)));
    assertEquals(
        List.of("input 'x' has shape [1, 3, 48, 192], was [-1, 3, 48, 192]"), changes(dynamic, V1));
  }

  @Test
  void anOutputMayNarrowToAFixedSize_butNotWidenOrChange() {
    ModelSignature dynamicOut =
        model(List.of(fp32("x", 1, 3, 48, 192)), List.of(fp32("y", 1, -1, 6625)));
    assertEquals(List.of(), changes(dynamicOut, V1));
    assertEquals(
        List.of("output 'y' has shape [1, -1, 6625], was [1, 25, 6625]"), changes(V1, dynamicOut));
  }

  @Test
  void eachBreakingChangeIsNamed_inputsFirst() {
    ModelSignature after =
        model(
            List.of(
                new TensorSpec("x", Datatype.UINT8, List.of(1L, 3L, 48L, 192L)),
                fp32("mask", 1, 48)),
            List.of(fp32("y", 1, 25)));
    assertEquals(
        List.of(
            "input 'x' is UINT8, was FP32",
            "input 'mask' is new (FP32 [1, 48])",
            "output 'y' has shape [1, 25], was [1, 25, 6625]"),
        changes(V1, after));
    assertEquals(
        List.of(
            "input 'x' is gone",
            "input 'image' is new (FP32 [1, 3, 48, 192])",
            "output 'y' is gone"),
        changes(
            V1,
            model(List.of(fp32("image", 1, 3, 48, 192)), List.of(fp32("logits", 1, 25, 6625)))));
  }
}
