package dev.ferry.hub.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeHintsTest {
  @Test
  void parse_readsEveryInputInOrder() {
    Map<String, List<Long>> hints = ShapeHints.parse(" x = 1,3, 48,192 ; y=1,4;");

    assertEquals(Map.of("x", List.of(1L, 3L, 48L, 192L), "y", List.of(1L, 4L)), hints);
    assertEquals(List.of("x", "y"), List.copyOf(hints.keySet()));
  }

  @Test
  void parse_treatsNullAndBlankAsNoHints() {
    assertEquals(Map.of(), ShapeHints.parse(null));
    assertEquals(Map.of(), ShapeHints.parse("  "));
  }

  @Test
  void parse_rejectsAPartWithoutName() {
    assertEquals(
        "shapes hint part 'x:1,3' must look like NAME=DIM,DIM,… such as x=1,3,48,192",
        message("y=1;x:1,3"));
    assertEquals(
        "shapes hint part '=1,3' must look like NAME=DIM,DIM,… such as x=1,3,48,192",
        message("=1,3"));
    assertEquals(
        "shapes hint part 'x=1=3' must look like NAME=DIM,DIM,… such as x=1,3,48,192",
        message("x=1=3"));
  }

  @Test
  void parse_rejectsAPartWithoutDimensions() {
    assertEquals(
        "shapes hint part 'x= ' must look like NAME=DIM,DIM,… such as x=1,3,48,192",
        message("x= "));
  }

  @Test
  void parse_rejectsABadDimension() {
    assertEquals(
        "shapes hint part 'x=1,a,3' has dimension 'a'; a dimension is a whole number of at least 1",
        message("x=1,a,3"));
    assertEquals(
        "shapes hint part 'x=1,0' has dimension '0'; a dimension is a whole number of at least 1",
        message("x=1,0"));
    assertEquals(
        "shapes hint part 'x=1,,2' has dimension ''; a dimension is a whole number of at least 1",
        message("x=1,,2"));
    assertEquals(
        "shapes hint part 'x=-1' has dimension '-1'; a dimension is a whole number of at least 1",
        message("x=-1"));
  }

  @Test
  void parse_rejectsAnInputNamedTwice() {
    assertEquals("shapes hint names 'x' twice", message("x=1;x=2"));
  }

  private static String message(String hint) {
    return assertThrows(InvalidShapeHintException.class, () -> ShapeHints.parse(hint)).getMessage();
  }
}
