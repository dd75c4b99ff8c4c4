package dev.ferry.hub.rollout;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.catalog.ReleaseState;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.protocol.api.InterfaceChange;
import dev.ferry.protocol.api.Rollout;
import dev.ferry.protocol.api.RolloutRequest;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
  @Inject Targets targets;
  @Inject FanOut fanOut;
  @Inject RolloutSteps steps;
  @Inject InterfaceShifts interfaces;

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
    long asked = System.nanoTime();
    List<String> selected = targets.of(request);
    Release release = requireRelease(model, version);
    List<InterfaceChange> interfaceChanges = interfaces.of(release, selected);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    String id = UUID.randomUUID().toString();
    List<String> order = Targets.shuffled(id, selected);
    List<Integer> ends = strategy.waveEnds(order.size());
    RolloutPlan plan =
        new RolloutPlan(
            id,
            model,
            version,
            request.selector(),
            strategy,
            ends.size(),
            actor,
            now,
            interfaceChanges);
    long started = System.nanoTime();
    RolloutRow created = new RolloutRow(plan, RolloutStatus.created(now));
    Change first = db.transaction(c -> insert(c, created, order, ends));
    long committed = System.nanoTime();
    int signed = fanOut.complete(first);
    logCreated(plan, order.size(), first.signed().size(), signed, asked, started, committed);
    warnOfInterfaceChanges(plan);
    RolloutLog.moved(created, first.rollout(), false);
    return find(id, DevicePage.ALL).orElseThrow();
  }

  private static void logCreated(
      RolloutPlan plan,
      int devices,
      int first,
      int signed,
      long asked,
      long started,
      long committed) {
    LOG.infof(
        "rollout %s of %s %s over %d devices created: its devices selected and shuffled in %d ms,"
            + " its rows written and the first %d desired states signed and stored in %d ms (one"
            + " transaction); %d desired states signed, stored and published in chunks %d ms after"
            + " that",
        plan.id(),
        plan.model(),
        plan.version(),
        devices,
        (started - asked) / 1_000_000,
        first,
        (committed - started) / 1_000_000,
        signed,
        (System.nanoTime() - committed) / 1_000_000);
  }

  /** One line per release whose clients the rollout breaks, naming who made it. */
  private static void warnOfInterfaceChanges(RolloutPlan plan) {
    for (InterfaceChange change : plan.interfaceChanges()) {
      LOG.warnf(
          "rollout %s of %s %s, made by %s, changes the interface of %s, assigned to %d of its"
              + " devices, for their local clients: %s",
          plan.id(),
          plan.model(),
          plan.version(),
          plan.createdBy(),
          change.from(),
          change.devices(),
          String.join("; ", change.changes()));
    }
  }

  private Release requireRelease(String model, String version) {
    Release release =
        catalog
            .release(model, version)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.NOT_FOUND,
                        "model " + Fields.show(model) + " has no version " + Fields.show(version)));
    release.refuseIfRevoked("a rollout of");
    if (release.state() != ReleaseState.PUBLISHED) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "model "
              + Fields.show(model)
              + " version "
              + Fields.show(version)
              + " is "
              + release.state()
              + ": attach its signed statement first (ferry release attach)");
    }
    return release;
  }

  /** Writes a new rollout and its devices, wave by wave, and takes its first step. */
  private Change insert(Connection c, RolloutRow row, List<String> order, List<Integer> ends)
      throws SQLException {
    Instant now = row.createdAt();
    RolloutStore.insert(c, row, now);
    if (row.selector() == null) {
      registerListed(c, order);
    }
    Map<String, Integer> waves = new HashMap<>();
    int start = 0;
    for (int wave = 0; wave < ends.size(); wave++) {
      for (String device : order.subList(start, ends.get(wave))) {
        waves.put(device, wave);
      }
      start = ends.get(wave);
    }
    RolloutDeviceStore.add(c, row.id(), waves, now);
    // the first wave goes out at once, unless it is to wait for its start time
    return steps.step(c, row, now);
  }

  /**
   * Devices named in a list are known from then on, even before they report; their rows are taken
   * in the order of their ids, as the ingest of reported states takes them (no deadlock between the
   * two).
   */
  private void registerListed(Connection c, List<String> order) throws SQLException {
    for (String device : new java.util.TreeSet<>(order)) {
      devices.upsert(c, device, null, null, null, null);
    }
  }

  /**
   * One rollout with its waves, and its devices if asked for.
   *
   * @param id the rollout
   * @param devices which devices' progress to list; null for none
   * @return the rollout, if there is one
   */
  Optional<Rollout> find(String id, DevicePage devices) {
    return db.transaction(
        c -> {
          Optional<RolloutRow> row = RolloutStore.find(c, id);
          return row.isEmpty()
              ? Optional.empty()
              : Optional.of(RolloutViews.of(c, row.get(), true, devices));
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
            rollouts.add(RolloutViews.of(c, row, false));
          }
          return rollouts;
        });
  }

  /** Pauses a created or running rollout; devices keep what they have. */
  public Rollout pause(String id, String actor) {
    String why = "paused by " + actor;
    return act(id, RolloutState::canPause, "paused", (c, r, now) -> paused(c, r, why, now));
  }

  private Change paused(Connection c, RolloutRow r, String why, Instant now) throws SQLException {
    return Change.of(steps.finish(c, r, r.status().paused(PausedFor.MANUAL, why, now)));
  }

  /**
   * Resumes a paused rollout: the same wave after an operator's pause; the next wave after a pause
   * at a wave's end or for errors (the operator accepts them).
   */
  public Rollout resume(String id, String actor) {
    return act(id, RolloutState::canResume, "resumed", this::resume);
  }

  private Change resume(Connection c, RolloutRow r, Instant now) throws SQLException {
    return r.status().pausedFor() == PausedFor.MANUAL
        ? Change.of(r.with(r.status().resumed(now)))
        : steps.advance(c, r, now);
  }

  /**
   * Cancels a rollout: devices not reached yet never receive it; the others keep what they have.
   */
  public Rollout cancel(String id, String actor) {
    String why = "cancelled by " + actor;
    return act(id, RolloutState::canCancel, "cancelled", (c, r, now) -> cancelled(c, r, why, now));
  }

  private Change cancelled(Connection c, RolloutRow r, String why, Instant now)
      throws SQLException {
    return Change.of(steps.finish(c, r, r.status().ended(RolloutState.CANCELLED, why, now)));
  }

  /**
   * Cancels every live rollout of a release that was revoked, in the caller's transaction: none
   * sends it to another device, and one that succeeded stops enrolling devices that join later.
   *
   * @param c the transaction
   * @param model the model
   * @param version the revoked version
   * @param why the reason each rollout records
   * @return the ids of the rollouts cancelled, for {@link #withdrawPrefetches} after the commit
   */
  public List<String> cancelRevoked(Connection c, String model, String version, String why)
      throws SQLException {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    List<String> cancelled = new ArrayList<>();
    for (RolloutRow r : RolloutStore.lockLive(c, model, version)) {
      RolloutRow ended = cancelled(c, r, why, now).rollout();
      RolloutStore.update(c, ended, steps.nextStep(ended, now));
      cancelled.add(r.id());
    }
    return cancelled;
  }

  /**
   * Withdraws, after their commit, the prefetch of rollouts that {@link #cancelRevoked} cancelled:
   * their devices still waiting get a desired state without it, in chunks.
   *
   * @param ids the rollouts cancelled
   */
  public void withdrawPrefetches(List<String> ids) {
    for (String id : ids) {
      fanOut.complete(
          db.transaction(
              c -> steps.withPrefetches(c, Change.of(RolloutStore.find(c, id).orElseThrow()))));
    }
  }

  /**
   * Sends every device the rollout touched back to its previous release; refused when one of those
   * releases is revoked.
   */
  public Rollout rollback(String id, String actor) {
    String why = "rolled back by " + actor;
    return act(
        id,
        RolloutState::canRollBack,
        "rolled back",
        (c, r, now) -> {
          refuseRevokedTargets(c, r);
          return steps.rollBack(c, r, why, now);
        });
  }

  private void refuseRevokedTargets(Connection c, RolloutRow r) throws SQLException {
    Set<String> versions = new TreeSet<>();
    RolloutDeviceStore.touched(c, r).values().stream()
        .map(Assignment::version)
        .filter(Objects::nonNull)
        .forEach(versions::add);
    for (String version : versions) {
      Optional<Release> target = catalog.release(c, r.model(), version);
      if (target.isPresent()) {
        target.get().refuseIfRevoked("rolling back rollout " + r.id() + " to");
      }
    }
  }

  /** An operator's action done: the rollout after, and what to publish after the commit. */
  private record Acted(RolloutRow before, Rollout rollout, Change change) {}

  private interface Action {
    Change apply(Connection c, RolloutRow r, Instant now) throws SQLException;
  }

  private Rollout act(String id, Predicate<RolloutState> allowed, String verb, Action action) {
    Acted acted =
        db.transaction(
            c -> {
              RolloutRow r = RolloutStore.lock(c, id).orElseThrow(() -> notFound(id));
              if (!allowed.test(r.state())) {
                throw conflict(r, verb, allowed);
              }
              Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
              Change change = steps.withPrefetches(c, action.apply(c, r, now));
              RolloutStore.update(c, change.rollout(), steps.nextStep(change.rollout(), now));
              return new Acted(r, RolloutViews.of(c, change.rollout(), true), change);
            });
    RolloutLog.moved(acted.before(), acted.change().rollout(), false);
    fanOut.complete(acted.change());
    // a fan-out in chunks assigned more devices after the view was read
    return acted.change().more() ? find(id, DevicePage.ALL).orElseThrow() : acted.rollout();
  }

  private static ApiException conflict(RolloutRow r, String verb, Predicate<RolloutState> allowed) {
    List<String> from = RolloutState.where(allowed).stream().map(Enum::name).sorted().toList();
    return new ApiException(
        ErrorCode.CONFLICT,
        "rollout "
            + r.id()
            + " is "
            + r.state()
            + "; it can be "
            + verb
            + " only when "
            + String.join(" or ", from));
  }

  private static ApiException notFound(String id) {
    return new ApiException(ErrorCode.NOT_FOUND, "no rollout " + Fields.show(id));
  }
}
