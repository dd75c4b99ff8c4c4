package dev.ferry.protocol.device;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Device labels follow Kubernetes' label syntax, so that Kubernetes label selectors select devices:
 * a key is an optional DNS-subdomain prefix and {@code /} and a name of at most 63 characters; a
 * value is at most 63 characters, possibly empty.
 */
public final class Labels {
  private static final String NAME = "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";

  /** A label key. */
  public static final Pattern KEY =
      Pattern.compile("(?:[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?/)?" + NAME);

  /** A label value. */
  public static final Pattern VALUE = Pattern.compile("(?:" + NAME + ")?");

  private Labels() {}

  /**
   * Checks and copies a label map; an absent one is empty.
   *
   * @param labels the labels, or null
   * @param field the field they came from
   * @return an immutable copy
   * @throws FieldException naming the key or value that breaks the syntax
   */
  public static Map<String, String> check(Map<String, String> labels, String field) {
    Map<String, String> copy = Fields.map(labels, field);
    copy.forEach(
        (key, value) -> {
          if (!KEY.matcher(key).matches()) {
            throw new FieldException(field, "has an invalid key " + Fields.show(key));
          }
          Fields.matching(value, VALUE, field + "." + key);
        });
    return copy;
  }
}
