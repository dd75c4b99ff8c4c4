package dev.ferry.hub.telemetry;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.db.Database;
import dev.ferry.protocol.api.VersionMetrics;
import dev.ferry.protocol.json.Fields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** How a model version behaves across the fleet, from the devices' telemetry. */
@Path("/api/v1/models/{name}/versions/{version}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class MetricsResource {
  private static final Duration LONGEST = Duration.ofDays(31);

  @Inject Clock clock;
  @Inject Catalog catalog;
  @Inject Database db;
  @Inject TelemetryStore store;

  /**
   * The fleet's counts of a version over a range, minute by minute.
   *
   * @param name the model
   * @param version the version
   * @param fromParam ISO-8601 instant; an hour before {@code to} when absent
   * @param toParam ISO-8601 instant; now when absent
   * @return the metrics
   */
  @GET
  public VersionMetrics metrics(
      @PathParam("name") String name,
      @PathParam("version") String version,
      @QueryParam("from") String fromParam,
      @QueryParam("to") String toParam) {
    Instant to =
        toParam == null
            ? clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1))
            : instant("to", toParam);
    Instant from = fromParam == null ? to.minus(Duration.ofHours(1)) : instant("from", fromParam);
    if (!from.isBefore(to)) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "from " + from + " must be before to " + to);
    }
    if (Duration.between(from, to).compareTo(LONGEST) > 0) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "the range from " + from + " to " + to + " is longer than 31 days");
    }
    if (catalog.release(name, version).isEmpty()) {
      throw new ApiException(
          ErrorCode.NOT_FOUND,
          "no release " + Fields.show(name) + " version " + Fields.show(version));
    }
    return db.transaction(c -> store.metrics(c, name, version, from, to));
  }

  private static Instant instant(String field, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          field + ": not an ISO-8601 instant such as 2026-11-28T10:00:00Z: " + Fields.show(value));
    }
  }
}
