package dev.ferry.protocol.device;

import dev.ferry.protocol.json.Fields;
import java.util.regex.Pattern;

/** The device id rule: {@code [A-Za-z0-9._-]{1,128}}, safe in a topic and a file name. */
public final class DeviceIds {
  /** The pattern a device id matches as a whole. */
  public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  private DeviceIds() {}

  /**
   * Checks a device id.
   *
   * @param id the id
   * @param field the field it came from
   * @return the id
   * @throws dev.ferry.protocol.json.FieldException naming the field and the value
   */
  public static String require(String id, String field) {
    return Fields.matching(id, PATTERN, field);
  }
}
