package dev.ferry.hub.rollout;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a wave ends: a number of devices or a share of the selection. */
record WaveSize(long count, double percent) {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(\\.\\d{1,6})?(%)?");

  static WaveSize parse(String text, String field) {
    Matcher m = text == null ? null : FORM.matcher(text.strip());
    if (m == null || !m.matches() || (m.group(2) != null && m.group(3) == null)) {
      throw new FieldException(
          field, "must be a device count like 5 or a share like 10%, got " + Fields.show(text));
    }
    if (m.group(3) == null) {
      long count = Long.parseLong(m.group(1));
      if (count < 1) {
        throw new FieldException(field, "must be at least 1 device, got " + text);
      }
      return new WaveSize(count, -1);
    }
    double percent = Double.parseDouble(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
    if (percent <= 0 || percent > 100) {
      throw new FieldException(field, "must be a share above 0% and at most 100%, got " + text);
    }
    return new WaveSize(-1, percent);
  }

  /** Whether this end lies beyond another of the same kind (kinds cannot be compared). */
  boolean beyond(WaveSize other) {
    if ((count >= 0) != (other.count >= 0)) {
      return true;
    }
    return count >= 0 ? count > other.count : percent > other.percent;
  }

  /** The wave's end for a selection of {@code devices}: a share rounds up, to at least one. */
  int of(int devices) {
    if (count >= 0) {
      return (int) Math.min(devices, count);
    }
    return (int) Math.min(devices, Math.max(1, Math.ceil(devices * percent / 100.0 - 1e-9)));
  }
}
