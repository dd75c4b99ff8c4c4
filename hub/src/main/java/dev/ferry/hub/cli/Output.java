package dev.ferry.hub.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;

/** Prints the hub's answers: indented JSON for scripts, or a table. */
final class Output {
  private Output() {}

  static void json(PrintWriter out, JsonNode node) {
    try {
      out.println(HubClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A field as text, or null when absent. */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  /** {@code a=1,b=2} from an object. */
  static String pairs(JsonNode object) {
    if (object == null || !object.isObject() || object.isEmpty()) {
      return null;
    }
    StringJoiner joined = new StringJoiner(",");
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      joined.add(entry.getKey() + "=" + entry.getValue().asText());
    }
    return joined.toString();
  }
}
