package dev.ferry.hub.rollout;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.PeriodicJob;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.hub.signing.TrustChain;
import dev.ferry.hub.signing.TrustRootAdded;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Re-signs desired states (a new sequence, the same models): those in their second half of
 * validity, so that a device never freezes on an expired state while the hub runs; and, at start
 * and after each new trust root, those signed by a hub key the newest root does not list, so that
 * after a rotation of the hub key no device is left with a state it refuses, and those marked
 * because a release statement they carry was signed again ({@link StatementRenewal}), which it
 * warns of at each run while any is still signed by a retired release key.
 */
@ApplicationScoped
public class Resigner {
  private static final Logger LOG = Logger.getLogger(Resigner.class);
  private static final int CHUNK = 1000;

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject Database db;
  @Inject DesiredStates desired;
  @Inject HubKeys keys;
  @Inject TrustChain trust;
  @Inject StatementRenewal statements;

  private PeriodicJob timer;

  void start(@Observes @Priority(4000) StartupEvent event) {
    Duration period = Duration.ofMinutes(Math.max(1, config.desiredValidity().toMinutes() / 10));
    timer = new PeriodicJob("resigner", Duration.ZERO, period, this::resign);
    timer.start();
  }

  /** Before the ingest and the broker stop: a run in progress still publishes what it signed. */
  void stop(@Observes @Priority(1) ShutdownEvent event) {
    if (timer != null) {
      timer.stop();
    }
  }

  /** A new root may list the hub key that some states lack: they are signed again now. */
  void rootAdded(@Observes TrustRootAdded event) {
    runSoon();
  }

  /** Runs once more now, besides the turns: states were marked to be signed again. */
  public void runSoon() {
    if (timer != null) {
      timer.runSoon();
    }
  }

  /** One run; a failure (the database away) is the {@link PeriodicJob}'s to log. */
  private void resign() {
    Instant now = clock.instant();
    statements.warnIfStale(trust.current());
    resignUnlisted(now);
    int count = resignDue(now);
    if (count > 0) {
      LOG.infof("re-signed %d desired states", count);
    }
  }

  /**
   * Re-signs every desired state signed by a hub key the newest trust root does not list, or marked
   * to be signed again (no key recorded), a thousand devices a transaction. Nothing while this
   * hub's own key is not listed: devices would refuse what it signs too.
   *
   * @param now the current time
   * @return how many were re-signed
   */
  public int resignUnlisted(Instant now) {
    TrustRoot root = trust.current();
    List<String> listed = root.roles().get(Role.HUB.id()).keyids();
    if (!listed.contains(keys.hubSigner().keyId())) {
      return 0;
    }
    int count = 0;
    while (true) {
      Map<String, DesiredStates.Signed> signed =
          db.transaction(c -> desired.nextAll(c, desired.signedByOtherKeys(c, listed, CHUNK), now));
      if (signed.isEmpty()) {
        break;
      }
      desired.publish(signed);
      count += signed.size();
    }
    if (count > 0) {
      LOG.infof(
          "re-signed %d desired states signed by a hub key trust root version %d does not list,"
              + " or carrying a release statement signed again",
          count, root.version());
    }
    return count;
  }

  /**
   * Re-signs every desired state past half its validity.
   *
   * @param now the current time
   * @return how many were re-signed
   */
  public int resignDue(Instant now) {
    Duration half = config.desiredValidity().dividedBy(2);
    Map<String, DesiredStates.Signed> signed =
        db.transaction(c -> desired.nextAll(c, desired.expiringBefore(c, now.plus(half)), now));
    desired.publish(signed);
    return signed.size();
  }
}
