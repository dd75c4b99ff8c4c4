package dev.ferry.hub.capture;

import dev.ferry.protocol.release.ModelNames;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A model version's UTC day: what one dataset (or, on a busy day, its parts) holds.
 *
 * @param model the model
 * @param version the version
 * @param day the UTC day
 */
record CaptureDay(String model, String version, LocalDate day) {
  CaptureDay {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    Objects.requireNonNull(day, "day");
  }

  static CaptureDay read(ResultSet row) throws SQLException {
    return new CaptureDay(row.getString(1), row.getString(2), row.getDate(3).toLocalDate());
  }
}
