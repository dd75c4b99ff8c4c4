package dev.ferry.hub.rollout;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.Device;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.fleet.LabelSelector;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.RolloutRequest;
import dev.ferry.protocol.api.WaveProgress;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Rollouts for the API: create one (its devices split into waves in a stable shuffled order), read
 * them, pause, resume, cancel or roll back. The {@link RolloutEngine} moves them along.
 */
@ApplicationScoped
public class Rollouts {
  private static final Logger LOG = Logger.getLogger(Rollouts.class);

  @Inject Clock clock;
  @Inject Database db;
  @Inject Catalog catalog;
  @Inject Devices devices;
  @Inject DesiredStates desired;
  @Inject RolloutSteps steps;

  /**
   * Creates a rollout; its first wave starts now unless the strategy says later.
   *
   * @param request what to roll out
   * @param actor the token's name
   * @return the rollout
   */
  public Rollout create(RolloutRequest request, String actor) {
    Fields.required(request, "body");
    String model = Fields.text(request.model(), "model");
    String version = Fields.text(request.version(), "version");
    Strategy strategy = Strategy.from(request.strategy());
    List<String> targets = targets(request);
    if (catalog.release(model, version).isEmpty()) {
      throw new ApiException(
          ErrorCode.NOT_FOUND,
          "model " + Fields.show(model) + " has no version " + Fields.show(version));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String id = UUID.randomUUID().toString();
    List<String> order = shuffled(id, targets);
    List<Integer> ends = strategy.waveEnds(order.size());
    RolloutRow row =
        new RolloutRow(
            new RolloutPlan(
                id, model, version, request.selector(), strategy, ends.size(), actor, now),
            RolloutStatus.created(now));
    long started = System.nanoTime();
    Map<String, DesiredStates.Signed> signed =
        db.transaction(
            c -> {
              RolloutStore.insert(c, row, now);
              if (request.selector() == null) {
                for (String device : order) {
                  devices.upsert(c, device, null, null, null, null);
                }
              }
              int start = 0;
              for (int wave = 0; wave < ends.size(); wave++) {
                RolloutDeviceStore.add(c, id, order.subList(start, ends.get(wave)), wave, now);
                start = ends.get(wave);
              }
              // the first wave goes out at once, unless it is to wait for its start time
              return steps.step(c, row, now).signed();
            });
    long committed = System.nanoTime();
    desired.publish(signed);
    LOG.infof(
        "rollout %s of %s %s over %d devices created: its rows written and %d desired states"
            + " signed and stored in %d ms (one transaction), published in %d ms",
        id,
        model,
        version,
        order.size(),
        signed.size(),
        (committed - started) / 1_000_000,
        (System.nanoTime() - committed) / 1_000_000);
    return find(id).orElseThrow();
  }

  /**
   * One rollout with every wave's and device's progress.
   *
   * @param id its id
   * @return the rollout, if it exists
   */
  public Optional<Rollout> find(String id) {
    return db.transaction(
        c -> {
          Optional<RolloutRow> row = RolloutStore.find(c, id);
          return row.isEmpty() ? Optional.empty() : Optional.of(view(c, row.get(), true));
        });
  }

  /**
   * Rollouts, newest first, with their device counts.
   *
   * @param model only this model's, or null
   * @param state only in this state, or null
   * @param limit at most this many
   * @return the rollouts
   */
  public List<Rollout> list(String model, RolloutState state, int limit) {
    return db.transaction(
        c -> {
          List<Rollout> rollouts = new ArrayList<>();
          for (RolloutRow row : RolloutStore.list(c, model, state, limit)) {
            rollouts.add(view(c, row, false));
          }
          return rollouts;
        });
  }

  /** Pauses a created or running rollout; devices keep what they have. */
  public Rollout pause(String id, String actor) {
    return act(
        id,
        RolloutState::canPause,
        "paused",
        (c, r, now) ->
            Change.of(
                steps.finish(
                    c, r, r.status().paused(PausedFor.MANUAL, "paused by " + actor, now))));
  }

  /**
   * Resumes a paused rollout: the same wave after an operator's pause; the next wave after a pause
   * at a wave's end or for errors (the operator accepts them).
   */
  public Rollout resume(String id, String actor) {
    return act(
        id,
        RolloutState::canResume,
        "resumed",
        (c, r, now) ->
            r.status().pausedFor() == PausedFor.MANUAL
                ? Change.of(r.with(r.status().resumed(now)))
                : steps.advance(c, r, now));
  }

  /**
   * Cancels a rollout: devices not reached yet never receive it; the others keep what they have.
   */
  public Rollout cancel(String id, String actor) {
    return act(
        id,
        RolloutState::canCancel,
        "cancelled",
        (c, r, now) ->
            Change.of(
                steps.finish(
                    c, r, r.status().ended(RolloutState.CANCELLED, "cancelled by " + actor, now))));
  }

  /** Sends every device the rollout touched back to its previous release. */
  public Rollout rollback(String id, String actor) {
    return act(
        id,
        RolloutState::canRollBack,
        "rolled back",
        (c, r, now) -> steps.rollBack(c, r, "rolled back by " + actor, now));
  }

  /** An operator's action done: the rollout after, and what to publish after the commit. */
  private record Acted(Rollout rollout, Map<String, DesiredStates.Signed> signed) {}

  private interface Action {
    Change apply(Connection c, RolloutRow r, Instant now) throws SQLException;
  }

  private Rollout act(String id, Predicate<RolloutState> allowed, String verb, Action action) {
    Acted acted =
        db.transaction(
            c -> {
              RolloutRow r = RolloutStore.lock(c, id).orElseThrow(() -> notFound(id));
              if (!allowed.test(r.state())) {
                throw new ApiException(
                    ErrorCode.CONFLICT,
                    "rollout "
                        + id
                        + " is "
                        + r.state()
                        + "; it can be "
                        + verb
                        + " only when "
                        + String.join(
                            " or ",
                            RolloutState.where(allowed).stream()
                                .map(Enum::name)
                                .sorted()
                                .toList()));
              }
              Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
              Change change = action.apply(c, r, now);
              RolloutStore.update(c, change.rollout(), steps.nextStep(change.rollout(), now));
              return new Acted(view(c, change.rollout(), true), change.signed());
            });
    desired.publish(acted.signed());
    return acted.rollout();
  }

  private static ApiException notFound(String id) {
    return new ApiException(ErrorCode.NOT_FOUND, "no rollout " + Fields.show(id));
  }

  private static Rollout view(Connection c, RolloutRow r, boolean detail) throws SQLException {
    List<Map<DeviceProgress, Integer>> perWave = RolloutDeviceStore.counts(c, r.id(), r.waves());
    Map<DeviceProgress, Integer> total = new EnumMap<>(DeviceProgress.class);
    List<WaveProgress> waves = new ArrayList<>();
    for (int i = 0; i < perWave.size(); i++) {
      Map<DeviceProgress, Integer> counts = perWave.get(i);
      counts.forEach((state, n) -> total.merge(state, n, Integer::sum));
      waves.add(
          new WaveProgress(
              i + 1, counts.values().stream().mapToInt(Integer::intValue).sum(), names(counts)));
    }
    return new Rollout(
        r.id(),
        r.model(),
        r.version(),
        r.selector(),
        r.strategy().toWire(),
        r.state().name(),
        r.wave() + 1,
        r.waves(),
        r.status().reason(),
        names(total),
        detail ? waves : null,
        detail ? RolloutDeviceStore.progress(c, r.id()) : null,
        r.plan().createdBy(),
        r.createdAt(),
        r.status().updatedAt());
  }

  private static Map<String, Integer> names(Map<DeviceProgress, Integer> counts) {
    Map<String, Integer> named = new LinkedHashMap<>();
    counts.forEach((state, n) -> named.put(state.name(), n));
    return named;
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

  /** A stable shuffle: by the hash of rollout id and device id, so waves mix device classes. */
  private static List<String> shuffled(String rolloutId, List<String> devices) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> keys = new LinkedHashMap<>();
    for (String device : devices) {
      keys.put(
          device,
          HexFormat.of()
              .formatHex(
                  sha256.digest((rolloutId + "/" + device).getBytes(StandardCharsets.UTF_8))));
    }
    return devices.stream().sorted(Comparator.comparing(keys::get)).toList();
  }
}
