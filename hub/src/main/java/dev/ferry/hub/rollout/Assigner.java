package dev.ferry.hub.rollout;

import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Changes what devices are assigned, in the caller's transaction: sends a rollout's release to
 * devices, ahead as a prefetch or to serve, or sends them back to what they had before. Each
 * changed device gets a new signed desired state, returned for publishing after the commit.
 */
@ApplicationScoped
class Assigner {
  private final JsonCodec codec = new JsonCodec();

  @Inject Clock clock;
  @Inject Catalog catalog;
  @Inject HubKeys keys;
  @Inject DesiredStates desired;

  /**
   * Assigns a rollout's release to some of its devices. A device that a newer rollout of the same
   * model holds is marked SUPERSEDED instead; an older rollout that held a device loses it.
   *
   * @param c the transaction
   * @param rollout the rollout
   * @param devices its WAITING devices to assign
   * @param now the current time
   * @return the desired states to publish, by device
   */
  Map<String, DesiredStates.Signed> assign(
      Connection c, RolloutRow rollout, Collection<String> devices, Instant now)
      throws SQLException {
    if (devices.isEmpty()) {
      return Map.of();
    }
    Map<String, Assignment> before = AssignmentStore.of(c, rollout.model(), devices);
    reissue(c, rollout.model(), rollout.version(), clock.instant());
    List<String> taken = take(c, rollout, devices, now);
    AssignmentStore.set(c, taken, rollout.model(), new Assignment(rollout.version(), rollout.id()));
    Map<String, DesiredStates.Signed> signed = desired.nextAll(c, taken, now);
    List<RolloutDeviceStore.Assigned> assigned = new ArrayList<>();
    taken.forEach(d -> assigned.add(assigned(rollout, d, before.get(d), signed.get(d).sequence())));
    RolloutDeviceStore.assigned(c, rollout.id(), assigned, now);
    return signed;
  }

  /**
   * Signs a new desired state for some of a rollout's WAITING devices, which prefetches its release
   * while the committed rollout {@linkplain RolloutRow#prefetching prefetches}, and no longer once
   * it ended; records which they carry.
   *
   * @param c the transaction, which holds the rollout's row lock
   * @param rollout the rollout
   * @param devices its WAITING devices
   * @param sent whether their new desired states carry the prefetch
   * @param now the current time
   * @return the desired states to publish, by device
   */
  Map<String, DesiredStates.Signed> prefetch(
      Connection c, RolloutRow rollout, List<String> devices, boolean sent, Instant now)
      throws SQLException {
    Map<String, DesiredStates.Signed> signed = desired.nextAll(c, devices, now);
    RolloutDeviceStore.prefetchSent(c, rollout.id(), devices, sent);
    return signed;
  }

  /**
   * Sends the devices a rollout touched back to what they were assigned before it (nothing, if they
   * had nothing), under a new release of the old bytes. Devices a newer rollout took are left
   * alone.
   *
   * @param c the transaction
   * @param rollout the rollout
   * @param now the current time
   * @return the desired states to publish, by device
   */
  Map<String, DesiredStates.Signed> revert(Connection c, RolloutRow rollout, Instant now)
      throws SQLException {
    Map<String, Assignment> previous = RolloutDeviceStore.touched(c, rollout);
    Set<String> reissued = new HashSet<>();
    for (var entry : previous.entrySet()) {
      restore(c, rollout, entry.getKey(), entry.getValue(), reissued, now);
    }
    return desired.nextAll(c, previous.keySet(), now);
  }

  /** Gives a device back what it had before, each old version released again once. */
  private void restore(
      Connection c,
      RolloutRow rollout,
      String device,
      Assignment before,
      Set<String> reissued,
      Instant now)
      throws SQLException {
    if (before.version() == null) {
      AssignmentStore.remove(c, device, rollout.model());
    } else {
      if (reissued.add(before.version())) {
        reissue(c, rollout.model(), before.version(), now);
      }
      AssignmentStore.set(c, List.of(device), rollout.model(), before);
    }
    RolloutDeviceStore.setState(c, rollout.id(), device, DeviceProgress.REVERTED, null, now);
  }

  /**
   * The devices this rollout takes: those a newer rollout holds are marked as lost to it; older
   * rollouts lose the others.
   */
  private static List<String> take(
      Connection c, RolloutRow rollout, Collection<String> devices, Instant now)
      throws SQLException {
    Map<String, String> newer = heldByNewer(c, rollout);
    List<String> taken = new ArrayList<>();
    for (String device : devices) {
      String winner = newer.get(device);
      if (winner == null) {
        taken.add(device);
      } else {
        RolloutDeviceStore.lostTo(c, rollout.id(), device, winner, now);
      }
    }
    RolloutDeviceStore.supersede(c, rollout, taken, now);
    return taken;
  }

  /** What a device had before a rollout took it: nothing new if the rollout had it already. */
  private static RolloutDeviceStore.Assigned assigned(
      RolloutRow rollout, String device, Assignment before, long sequence) {
    boolean fresh = before == null || rollout.id().equals(before.rolloutId());
    return new RolloutDeviceStore.Assigned(
        device, fresh ? new Assignment(null, null) : before, sequence);
  }

  /** Devices of this rollout that a newer live rollout of the same model also holds. */
  private static Map<String, String> heldByNewer(Connection c, RolloutRow rollout)
      throws SQLException {
    Map<String, String> held = new HashMap<>();
    for (RolloutRow newer : RolloutStore.newerLive(c, rollout.model(), rollout.createdAt())) {
      for (String device :
          RolloutDeviceStore.devices(c, newer.id(), Integer.MAX_VALUE, RolloutDeviceStore.HELD)) {
        held.putIfAbsent(device, newer.id());
      }
    }
    return held;
  }

  /** Re-releases the version unless it is the model's latest release (see Catalog#reissue). */
  private Release reissue(Connection c, String model, String version, Instant now)
      throws SQLException {
    Release old = catalog.release(c, model, version).orElseThrow();
    return catalog.reissue(c, model, version, seq -> resigned(old, seq, now));
  }

  /** The release's statement again, with a new release sequence and time. */
  private Envelope resigned(Release old, long seq, Instant now) {
    ReleaseStatement statement =
        codec.decode(old.statement().payloadBytes(), ReleaseStatement.class);
    ReleasePredicate was = statement.predicate();
    ReleasePredicate predicate =
        new ReleasePredicate(
            was.model(),
            was.version(),
            seq,
            now,
            was.servingDigest(),
            was.goldenDigest(),
            was.expiresAt(),
            was.variants());
    ReleaseStatement again =
        new ReleaseStatement(
            statement.type(), statement.subject(), statement.predicateType(), predicate);
    return keys.releaseSigner().sign(PayloadTypes.IN_TOTO, codec.encode(again));
  }
}
