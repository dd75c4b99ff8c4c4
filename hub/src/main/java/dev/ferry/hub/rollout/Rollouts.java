package dev.ferry.hub.rollout;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.Device;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.fleet.LabelSelector;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Assigns a release to every target device at once: each gets a new signed desired state holding
 * all its assigned models. (Waves and thresholds come later.)
 */
@ApplicationScoped
public class Rollouts {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Inject Database db;
  @Inject Catalog catalog;
  @Inject Devices devices;
  @Inject DesiredStates desired;

  /**
   * Creates a rollout and publishes the desired states.
   *
   * @param request what to roll out
   * @param actor the token's name
   * @return the rollout
   */
  public Rollout create(RolloutRequest request, String actor) {
    Fields.required(request, "body");
    String model = Fields.text(request.model(), "model");
    String version = Fields.text(request.version(), "version");
    List<String> targets = targets(request);
    if (catalog.release(model, version).isEmpty()) {
      throw new ApiException(
          ErrorCode.NOT_FOUND,
          "model " + Fields.show(model) + " has no version " + Fields.show(version));
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    Rollout rollout =
        new Rollout(
            UUID.randomUUID().toString(), model, version, request.selector(), targets, actor, now);
    Map<String, byte[]> envelopes =
        db.transaction(
            c -> {
              insert(c, rollout);
              Map<String, byte[]> signed = new LinkedHashMap<>();
              for (String device : targets) {
                devices.upsert(c, device, null, null, null, null);
                assign(c, device, rollout);
                signed.put(device, desired.next(c, device, now));
              }
              return signed;
            });
    envelopes.forEach(desired::publish);
    return rollout;
  }

  /**
   * One rollout.
   *
   * @param id its id
   * @return the rollout, if it exists
   */
  public Optional<Rollout> find(String id) {
    return db.transaction(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, model, version, selector, devices, created_by, created_at FROM rollout WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
              return row.next() ? Optional.of(read(row)) : Optional.empty();
            }
          }
        });
  }

  private List<String> targets(RolloutRequest request) {
    boolean listed = request.devices() != null && !request.devices().isEmpty();
    boolean selected = request.selector() != null && !request.selector().isBlank();
    if (listed == selected) {
      throw new FieldException("devices", "or selector must be given, not both and not neither");
    }
    if (listed) {
      for (int i = 0; i < request.devices().size(); i++) {
        DeviceIds.require(request.devices().get(i), "devices[" + i + "]");
      }
      return request.devices().stream().distinct().toList();
    }
    LabelSelector selector = LabelSelector.parse(request.selector());
    List<String> matching =
        devices.all().stream().filter(d -> selector.test(d.labels())).map(Device::id).toList();
    if (matching.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "selector " + Fields.show(request.selector()) + " selects no known device");
    }
    return matching;
  }

  private static void assign(Connection c, String device, Rollout rollout) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO assignment (version, rollout_id, device_id, model) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      bindAssignment(insert, device, rollout);
      insert.executeUpdate();
    }
    try (PreparedStatement update =
        c.prepareStatement(
            "UPDATE assignment SET version = ?, rollout_id = ? WHERE device_id = ? AND model = ?")) {
      bindAssignment(update, device, rollout);
      update.executeUpdate();
    }
  }

  private static void bindAssignment(PreparedStatement statement, String device, Rollout rollout)
      throws SQLException {
    statement.setString(1, rollout.version());
    statement.setString(2, rollout.id());
    statement.setString(3, device);
    statement.setString(4, rollout.model());
  }

  private static void insert(Connection c, Rollout r) throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO rollout (id, model, version, selector, devices, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, r.id());
      insert.setString(2, r.model());
      insert.setString(3, r.version());
      insert.setString(4, r.selector());
      insert.setString(5, JSON.writeValueAsString(r.devices()));
      insert.setString(6, r.createdBy());
      insert.setTimestamp(7, Timestamp.from(r.createdAt()));
      insert.executeUpdate();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Rollout read(ResultSet row) throws SQLException {
    try {
      List<String> targets = JSON.readValue(row.getString(5), new TypeReference<>() {});
      return new Rollout(
          row.getString(1),
          row.getString(2),
          row.getString(3),
          row.getString(4),
          targets,
          row.getString(6),
          row.getTimestamp(7).toInstant());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
