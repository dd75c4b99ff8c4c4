package dev.ferry.hub.registry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The distribution-spec error body, {@code {"errors":[{"code","message","detail"}]}}.
 *
 * @param errors the errors, one per refusal
 */
record ErrorBody(List<Entry> errors) {
  ErrorBody {
    errors = List.copyOf(errors);
  }

  static ErrorBody of(ErrorCode code, String message, Map<String, String> detail) {
    return new ErrorBody(
        List.of(new Entry(code.name(), message, detail.isEmpty() ? null : new TreeMap<>(detail))));
  }

  /**
   * One error.
   *
   * @param code the error code
   * @param message what went wrong, naming the value
   * @param detail the values concerned, sorted by name; or null
   */
  record Entry(String code, String message, Map<String, String> detail) {}
}
