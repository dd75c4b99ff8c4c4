package dev.ferry.agent.failure;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Objects;

/**
 * A reason and its detail, reported as {@code "<label>: <detail>"} (the bare detail for a reason
 * without a label) in {@code ModelReport.reason}, {@code DeviceEvent.reason} and {@code
 * state.json}.
 *
 * @param reason the broken rule
 * @param detail what was wrong, naming the values
 */
public record Failure(Reason reason, String detail) {
  private static final String SEPARATOR = ": ";

  /** Checks that both are present. */
  public Failure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Reads a failure back from its text, as {@code state.json} keeps it: a known label before {@code
   * ": "} names the reason; text without one is a {@link Reason#VERSION_REJECTED} detail (the text
   * is the same either way).
   *
   * @param text what {@link #text()} wrote
   * @return the failure
   */
  @JsonCreator
  public static Failure parse(String text) {
    Objects.requireNonNull(text, "text");
    return Arrays.stream(Reason.values())
        .filter(reason -> !reason.label().isEmpty())
        .filter(reason -> text.startsWith(reason.label() + SEPARATOR))
        .findFirst()
        .map(reason -> new Failure(reason, text.substring(reason.label().length() + 2)))
        .orElseGet(() -> new Failure(Reason.VERSION_REJECTED, text));
  }

  /** The text reported to the hub: {@code "<label>: <detail>"}, or the detail alone. */
  @JsonValue
  public String text() {
    return reason.label().isEmpty() ? detail : reason.label() + SEPARATOR + detail;
  }

  @Override
  public String toString() {
    return text();
  }
}
