package dev.ferry.hub.rollout;

import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ModelStatus;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the outcome of a rollout on its devices from their latest reported states: ACTIVE once a
 * device serves the release, FAILED or ROLLED_BACK (with the device's reason) once it reports so
 * for a desired state at least as new as the one that carried the release. Each report is read once
 * per rollout ({@link RolloutDeviceStore#reports}).
 */
final class Progress {
  private static final JsonCodec CODEC = new JsonCodec();

  private Progress() {}

  /**
   * Updates the devices of a rollout that are ASSIGNED, or ACTIVE in the current wave (a device can
   * still roll back on its own in probation).
   *
   * @param c the transaction
   * @param rollout the rollout
   * @param now the current time
   */
  static void refresh(Connection c, RolloutRow rollout, Instant now) throws SQLException {
    List<RolloutDeviceStore.Moved> moved = new ArrayList<>();
    List<RolloutDeviceStore.Report> unchanged = new ArrayList<>();
    for (RolloutDeviceStore.Report report : RolloutDeviceStore.reports(c, rollout)) {
      Outcome outcome = outcome(rollout, report.sequence(), report.reported());
      if (outcome != null && outcome.state() != report.state()) {
        moved.add(new RolloutDeviceStore.Moved(report, outcome.state(), outcome.reason()));
      } else {
        unchanged.add(report);
      }
    }
    RolloutDeviceStore.outcomes(c, rollout.id(), moved, now);
    RolloutDeviceStore.read(c, rollout.id(), unchanged);
  }

  private record Outcome(DeviceProgress state, String reason) {}

  private static Outcome outcome(RolloutRow rollout, long sequence, String reported) {
    ReportedState state = decode(reported);
    if (state == null) {
      return null;
    }
    boolean reached = state.desiredSequence() >= sequence;
    for (ModelReport model : state.models()) {
      Outcome outcome =
          model.name().equals(rollout.model()) ? outcome(rollout, model, reached) : null;
      if (outcome != null) {
        return outcome;
      }
    }
    return null;
  }

  /** A model's report: ACTIVE once it serves the release; a failure once about this release. */
  private static Outcome outcome(RolloutRow rollout, ModelReport model, boolean reached) {
    boolean serves = model.active() != null && rollout.version().equals(model.active().version());
    if (model.status() == ModelStatus.ACTIVE && serves) {
      return new Outcome(DeviceProgress.ACTIVE, null);
    }
    if (!reached || !rollout.version().equals(model.desiredVersion())) {
      return null;
    }
    return switch (model.status()) {
      case FAILED -> new Outcome(DeviceProgress.FAILED, model.reason());
      case ROLLED_BACK -> new Outcome(DeviceProgress.ROLLED_BACK, model.reason());
      default -> null;
    };
  }

  private static ReportedState decode(String reported) {
    try {
      return CODEC.decode(reported.getBytes(StandardCharsets.UTF_8), ReportedState.class);
    } catch (MalformedMessageException e) {
      return null; // stored before it was checked; the next report replaces it
    }
  }
}
