package dev.ferry.protocol.json;

/**
 * A wire record was given a field value that breaks one of its rules.
 *
 * <p>The message starts with the field name, then the rule and the value: {@code "sequence must be
 * at least 1, got 0"}. {@link JsonCodec} prefixes the path of the enclosing objects.
 */
public final class FieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the name of the offending field, relative to its record
   * @param problem the broken rule and the value, for example {@code "must be at least 1, got 0"}
   */
  public FieldException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  /** The name of the offending field, relative to the record that rejected it. */
  public String field() {
    return field;
  }
}
