package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.Fields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a shapes hint, {@code x=1,3,48,192;y=1,4}: concrete shapes for dynamic inputs. */
public final class ShapeHints {
  private static final String FORM = " must look like NAME=DIM,DIM,… such as x=1,3,48,192";

  private ShapeHints() {}

  /**
   * Parses a hint: parts separated by {@code ;}, each an input name, {@code =}, and its dimensions
   * separated by {@code ,}. Whitespace around names and numbers is ignored.
   *
   * @param text the hint; null or blank for none
   * @return the shapes by input name, in the order given
   * @throws InvalidShapeHintException naming the part that is malformed
   */
  public static Map<String, List<Long>> parse(String text) {
    Map<String, List<Long>> shapes = new LinkedHashMap<>();
    if (text == null) {
      return Map.of();
    }
    for (String part : text.split(";", -1)) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? "" : part.substring(0, eq).strip();
      if (name.isEmpty() || part.indexOf('=', eq + 1) >= 0) {
        throw new InvalidShapeHintException("shapes hint part " + Fields.show(part) + FORM);
      }
      if (shapes.put(name, dims(part, part.substring(eq + 1))) != null) {
        throw new InvalidShapeHintException("shapes hint names " + Fields.show(name) + " twice");
      }
    }
    return Collections.unmodifiableMap(shapes);
  }

  private static List<Long> dims(String part, String text) {
    if (text.isBlank()) {
      throw new InvalidShapeHintException("shapes hint part " + Fields.show(part) + FORM);
    }
    List<Long> dims = new ArrayList<>();
    for (String dim : text.split(",", -1)) {
      dims.add(dim(part, dim.strip()));
    }
    return List.copyOf(dims);
  }

  private static long dim(String part, String dim) {
    if (dim.matches("[0-9]{1,18}") && Long.parseLong(dim) >= 1) {
      return Long.parseLong(dim);
    }
    throw new InvalidShapeHintException(
        "shapes hint part "
            + Fields.show(part)
            + " has dimension "
            + Fields.show(dim)
            + "; a dimension is a whole number of at least 1");
  }
}
