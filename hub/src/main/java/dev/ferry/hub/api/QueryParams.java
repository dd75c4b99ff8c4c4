package dev.ferry.hub.api;

import dev.ferry.protocol.json.Fields;
import java.util.List;

/** Query parameters as the API reads them: numbers in a range, flags, blanks as absent. */
public final class QueryParams {
  private QueryParams() {}

  /**
   * A whole number in a range.
   *
   * @param field the parameter's name, for the error
   * @param value its text
   * @param min the smallest allowed
   * @param max the largest allowed
   * @return the number
   * @throws ApiException 400 naming the parameter and the value otherwise
   */
  public static int number(String field, String value, int min, int max) {
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ApiException(
        ErrorCode.INVALID_REQUEST,
        field
            + ": must be a whole number from "
            + min
            + " to "
            + max
            + ", got "
            + Fields.show(value));
  }

  /**
   * A yes or no: {@code true} or {@code false}.
   *
   * @param field the parameter's name, for the error
   * @param value its text, or null when absent
   * @param absent the answer when it is absent or blank
   * @return the answer
   * @throws ApiException 400 naming the parameter and the value otherwise
   */
  public static boolean flag(String field, String value, boolean absent) {
    if (value == null || value.isBlank()) {
      return absent;
    }
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new ApiException(
        ErrorCode.INVALID_REQUEST, field + ": must be true or false, got " + Fields.show(value));
  }

  /**
   * One of an enum's names, in any case.
   *
   * @param field the parameter's name, for the error
   * @param value its text, or null when absent
   * @param values the enum's values
   * @return the value, or null when absent or blank
   * @param <E> the enum
   * @throws ApiException 400 naming the parameter, the value and the choices otherwise
   */
  public static <E extends Enum<E>> E oneOf(String field, String value, E[] values) {
    if (value == null || value.isBlank()) {
      return null;
    }
    for (E choice : values) {
      if (choice.name().equalsIgnoreCase(value)) {
        return choice;
      }
    }
    throw new ApiException(
        ErrorCode.INVALID_REQUEST,
        field + ": must be one of " + List.of(values) + ", got " + Fields.show(value));
  }

  /**
   * A parameter's text, or null when absent or blank.
   *
   * @param value the text
   * @return the text or null
   */
  public static String text(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
