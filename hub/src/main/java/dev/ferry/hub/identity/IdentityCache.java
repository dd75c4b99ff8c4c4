package dev.ferry.hub.identity;

import dev.ferry.hub.db.Database;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Answers {@link DeviceAccess} from memory, since ingestion asks once per message: the identities
 * are loaded at start and every 10 s (the changes of other replicas); a change this replica makes
 * reloads that one device at once (a revocation reloads everything, for the CRL). Publishes the CRL
 * whenever the revoked certificates change, and daily (it is valid for 30 days).
 */
@ApplicationScoped
public class IdentityCache implements DeviceAccess {
  private static final Logger LOG = Logger.getLogger(IdentityCache.class);
  private static final long REFRESH_SECONDS = 10;

  /** What access checks need of one identity. */
  private record Entry(IdentityState state, String passwordHash) {}

  @Inject Database db;
  @Inject DeviceIdentities identities;
  @Inject DeviceCa ca;
  @Inject Clock clock;

  private volatile Map<String, Entry> entries = new ConcurrentHashMap<>();
  private static final java.time.Duration CRL_REFRESH = java.time.Duration.ofDays(1);

  private Map<BigInteger, Instant> published;
  private Instant publishedAt = Instant.MIN;
  private ScheduledExecutorService refresher;

  void start(@Observes @Priority(600) StartupEvent event) {
    refresh();
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ferry-identity-refresh");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(
        this::refreshQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (refresher != null) {
      refresher.shutdownNow();
    }
  }

  @Override
  public boolean authenticate(String deviceId, byte[] password) {
    Entry entry = deviceId == null || password == null ? null : entries.get(deviceId);
    return entry != null
        && entry.state() == IdentityState.ACCEPTED
        && Secrets.same(Secrets.hash(password), entry.passwordHash());
  }

  @Override
  public boolean accepted(String deviceId) {
    Entry entry = entries.get(deviceId);
    return entry != null && entry.state() == IdentityState.ACCEPTED;
  }

  /** Reloads every identity and republishes the CRL if it changed. */
  public synchronized void refresh() {
    Instant now = clock.instant();
    record Loaded(List<Identity> identities, Map<BigInteger, Instant> revoked) {}
    Loaded loaded =
        db.transaction(c -> new Loaded(identities.all(c), identities.revokedCertificates(c, now)));
    Map<String, Entry> next = new ConcurrentHashMap<>();
    loaded.identities().forEach(i -> next.put(i.deviceId(), entry(i)));
    entries = next;
    if (!loaded.revoked().equals(published) || publishedAt.plus(CRL_REFRESH).isBefore(now)) {
      ca.publishRevocations(loaded.revoked());
      published = loaded.revoked();
      publishedAt = now;
    }
  }

  /**
   * Reloads one device after this replica changed it (enrolled, accepted, renewed): cheap, so that
   * enrolling thousands of devices does not reload them all each time.
   *
   * @param deviceId the device
   */
  public synchronized void refresh(String deviceId) {
    db.transaction(c -> identities.find(c, deviceId))
        .ifPresentOrElse(
            identity -> entries.put(deviceId, entry(identity)), () -> entries.remove(deviceId));
  }

  private static Entry entry(Identity identity) {
    return new Entry(identity.state(), identity.passwordHash());
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warnf("cannot refresh device identities, keeping the last ones: %s", e.getMessage());
    }
  }
}
