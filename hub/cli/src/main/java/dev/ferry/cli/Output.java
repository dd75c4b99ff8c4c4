package dev.ferry.cli;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.StringJoiner;

/** Prints the hub's answers: its JSON, indented, for scripts; or cells of a table. */
final class Output {
  private Output() {}

  /** The answer's JSON as the hub sent it, indented. */
  static void json(PrintWriter out, Answer answer) {
    json(out, answer.tree());
  }

  /** A JSON tree, indented. */
  static void json(PrintWriter out, JsonNode tree) {
    try {
      out.println(Answer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot indent the hub's answer", e);
    }
  }

  /** A field as text, or null when absent. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** {@code a=1,b=2}, or null when there is nothing. */
  static String pairs(Map<String, ?> map) {
    return map == null || map.isEmpty()
        ? null
        : map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(joining(","));
  }

  /** {@code a=1,b=2} from an object. */
  static String pairs(JsonNode object) {
    if (object == null || !object.isObject() || object.isEmpty()) {
      return null;
    }
    StringJoiner joined = new StringJoiner(",");
    object.fields().forEachRemaining(e -> joined.add(e.getKey() + "=" + e.getValue().asText()));
    return joined.toString();
  }
}
