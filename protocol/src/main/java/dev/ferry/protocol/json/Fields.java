package dev.ferry.protocol.json;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks that wire records run in their compact constructors. Each failure is a {@link
 * FieldException} naming the field, the rule and the value.
 */
public final class Fields {
  private static final int MAX_SHOWN = 80;

  /**
   * The largest count a wire record carries (2^50, a million requests a second for 35 years), so
   * that sums of many records stay far from {@link Long#MAX_VALUE}.
   */
  public static final long MAX_COUNT = 1L << 50;

  private Fields() {}

  /**
   * Requires a value to be present.
   *
   * @param value the field value
   * @param field the field name
   * @return the value
   * @param <T> the field type
   */
  public static <T> T required(T value, String field) {
    if (value == null) {
      throw new FieldException(field, "is missing");
    }
    return value;
  }

  /**
   * Requires a non-blank string.
   *
   * @param value the field value
   * @param field the field name
   * @return the value
   */
  public static String text(String value, String field) {
    if (required(value, field).isBlank()) {
      throw new FieldException(field, "must not be blank");
    }
    return value;
  }

  /**
   * Requires a string matching a pattern.
   *
   * @param value the field value
   * @param pattern the pattern the whole value must match
   * @param field the field name
   * @return the value
   */
  public static String matching(String value, Pattern pattern, String field) {
    if (!pattern.matcher(required(value, field)).matches()) {
      throw new FieldException(field, "must match " + pattern.pattern() + ", got " + show(value));
    }
    return value;
  }

  /**
   * Requires a number of at least {@code min}.
   *
   * @param value the field value
   * @param min the smallest value allowed
   * @param field the field name
   * @return the value
   */
  public static long atLeast(long value, long min, String field) {
    if (value < min) {
      throw new FieldException(field, "must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * Requires a count: from 0 to {@link #MAX_COUNT}.
   *
   * @param value the field value
   * @param field the field name
   * @return the value
   */
  public static long count(long value, String field) {
    if (value < 0 || value > MAX_COUNT) {
      throw new FieldException(field, "must be a count from 0 to " + MAX_COUNT + ", got " + value);
    }
    return value;
  }

  /**
   * Adds two counts, saturating at {@link #MAX_COUNT}: sums of many devices' figures never wrap.
   *
   * @param a a count from 0 to {@link #MAX_COUNT}
   * @param b another
   * @return their sum, at most {@link #MAX_COUNT}
   */
  public static long addCounts(long a, long b) {
    return Math.min(MAX_COUNT, count(a, "count") + count(b, "count"));
  }

  /**
   * Copies a list, treating an absent one as empty.
   *
   * @param value the field value, or null
   * @param field the field name
   * @return an immutable copy
   * @param <T> the element type
   */
  public static <T> List<T> list(List<T> value, String field) {
    if (value == null) {
      return List.of();
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i) == null) {
        // the name is built only for the error: tensors run this per element
        throw new FieldException(field + "[" + i + "]", "is missing");
      }
    }
    return List.copyOf(value);
  }

  /**
   * Copies a list that must have at least one element.
   *
   * @param value the field value
   * @param field the field name
   * @return an immutable copy
   * @param <T> the element type
   */
  public static <T> List<T> nonEmptyList(List<T> value, String field) {
    if (required(value, field).isEmpty()) {
      throw new FieldException(field, "must not be empty");
    }
    return list(value, field);
  }

  /**
   * Copies a map, treating an absent one as empty.
   *
   * @param value the field value, or null
   * @param field the field name
   * @return an immutable copy
   * @param <K> the key type
   * @param <V> the value type
   */
  public static <K, V> Map<K, V> map(Map<K, V> value, String field) {
    if (value == null) {
      return Map.of();
    }
    value.forEach((key, v) -> required(v, field + "." + key));
    return Map.copyOf(value);
  }

  /**
   * Renders a value for an error message: strings in single quotes, shortened, with control
   * characters escaped so that a message never forges a log line.
   *
   * @param value the value to show
   * @return a printable rendering
   */
  public static String show(Object value) {
    if (value == null) {
      return "null";
    }
    if (!(value instanceof CharSequence)) {
      return String.valueOf(value);
    }
    String text = value.toString();
    String shown = text.length() > MAX_SHOWN ? text.substring(0, MAX_SHOWN) + "…" : text;
    StringBuilder out = new StringBuilder("'");
    shown
        .codePoints()
        .forEach(
            c ->
                out.append(
                    Character.isISOControl(c)
                        ? String.format("\\u%04x", c)
                        : Character.toString(c)));
    return out.append('\'').toString();
  }
}
