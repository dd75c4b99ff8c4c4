package dev.ferry.cli;

import static java.util.stream.Collectors.joining;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.util.Map;

/** Prints the hub's answers: its JSON, indented, for scripts; or cells of a table. */
final class Output {
  private Output() {}

  /** The answer's JSON as the hub sent it, indented. */
  static void json(PrintWriter out, Answer answer) {
    try {
      out.println(Answer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer.tree()));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot indent the hub's answer", e);
    }
  }

  /** {@code a=1,b=2}, or null when there is nothing. */
  static String pairs(Map<String, ?> map) {
    return map == null || map.isEmpty()
        ? null
        : map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(joining(","));
  }
}
