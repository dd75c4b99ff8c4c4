package dev.ferry.hub.fleet;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector over device labels: comma-separated requirements {@code k=v}, {@code
 * k==v}, {@code k!=v}, {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}; all must
 * hold.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {
  private static final String KEY = "[A-Za-z0-9][-A-Za-z0-9_./]*";
  private static final String VALUE = "[-A-Za-z0-9_.]*";
  private static final Pattern SET =
      Pattern.compile("\\s*(" + KEY + ")\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern EQUALITY =
      Pattern.compile("\\s*(" + KEY + ")\\s*(==|=|!=)\\s*(" + VALUE + ")\\s*");
  private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*(" + KEY + ")\\s*");

  private final String text;
  private final List<Predicate<Map<String, String>>> requirements;

  private LabelSelector(String text, List<Predicate<Map<String, String>>> requirements) {
    this.text = text;
    this.requirements = List.copyOf(requirements);
  }

  /**
   * Parses a selector.
   *
   * @param text the selector, for example {@code site=berlin,accel in (cuda,trt)}
   * @return the selector
   * @throws FieldException naming the requirement that does not parse
   */
  public static LabelSelector parse(String text) {
    List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
    for (String part : split(Fields.text(text, "selector"))) {
      requirements.add(requirement(part));
    }
    return new LabelSelector(text, requirements);
  }

  @Override
  public boolean test(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.test(labels));
  }

  @Override
  public String toString() {
    return text;
  }

  private static Predicate<Map<String, String>> requirement(String part) {
    Matcher set = SET.matcher(part);
    if (set.matches()) {
      String key = set.group(1);
      Set<String> values = Set.copyOf(List.of(set.group(3).trim().split("\\s*,\\s*")));
      boolean in = set.group(2).equals("in");
      return labels -> in == values.contains(labels.get(key));
    }
    Matcher equality = EQUALITY.matcher(part);
    if (equality.matches()) {
      String key = equality.group(1);
      String value = equality.group(3);
      boolean equal = !equality.group(2).equals("!=");
      return labels -> equal == value.equals(labels.get(key));
    }
    Matcher exists = EXISTS.matcher(part);
    if (exists.matches()) {
      String key = exists.group(2);
      boolean present = exists.group(1).isEmpty();
      return labels -> present == labels.containsKey(key);
    }
    throw new FieldException(
        "selector", "has a requirement that does not parse: " + Fields.show(part.trim()));
  }

  /** Splits on commas outside parentheses. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
  }
}
