package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Rows printed as aligned columns under a header, then any notes. */
final class Table {
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(Object... cells) {
    rows.add(
        Arrays.stream(cells).map(c -> c == null ? "-" : String.valueOf(c)).toArray(String[]::new));
    return this;
  }

  /** A line printed after the table, past an empty line. */
  Table note(String text) {
    notes.add(text);
    return this;
  }

  void print(PrintWriter out) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        line.append(
            i == columns - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    for (String note : notes) {
      out.println();
      out.println(note);
    }
    out.flush();
  }
}
