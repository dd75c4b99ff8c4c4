package dev.ferry.hub.identity;

import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.PeriodicJob;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Answers {@link DeviceAccess} from memory, since ingestion asks once per message: the identities
 * are loaded at start and every 10 s (the changes of other replicas); a change this replica makes
 * reloads that one device at once (a revocation reloads everything, for the CRL). A device the
 * memory does not admit is looked up once per refresh period before it is refused, so a device that
 * another replica enrolled or accepted a moment ago is not turned away for up to 10 s (its first,
 * retained report would be lost). Publishes the CRL whenever the revoked certificates change, and
 * daily (it is valid for 30 days).
 */
@ApplicationScoped
public class IdentityCache implements DeviceAccess {
  private static final Logger LOG = Logger.getLogger(IdentityCache.class);
  private static final long REFRESH_SECONDS = 10;

  /** Beyond this many refused ids in one period, refusals are answered from memory alone. */
  private static final int MAX_LOOKUPS = 10_000;

  /** What access checks need of one identity. */
  private record Entry(IdentityState state, String passwordHash) {}

  @Inject Database db;
  @Inject DeviceIdentities identities;
  @Inject DeviceCa ca;
  @Inject Clock clock;

  private volatile Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** Ids looked up since the last full refresh because memory would have refused them. */
  private volatile Set<String> lookedUp = ConcurrentHashMap.newKeySet();

  private static final java.time.Duration CRL_REFRESH = java.time.Duration.ofDays(1);

  private Map<BigInteger, Instant> published;
  private Instant publishedAt = Instant.MIN;
  private PeriodicJob refresher;

  void start(@Observes @Priority(600) StartupEvent event) {
    refresh();
    java.time.Duration every = java.time.Duration.ofSeconds(REFRESH_SECONDS);
    // a refresh that fails keeps the identities of the last one
    refresher = new PeriodicJob("identity refresh", every, every, this::refresh);
    refresher.start();
  }

  void stop(@Observes ShutdownEvent event) {
    if (refresher != null) {
      refresher.stop();
    }
  }

  @Override
  public boolean authenticate(String deviceId, byte[] password) {
    if (deviceId == null || password == null) {
      return false;
    }
    String hash = Secrets.hash(password);
    return admits(deviceId, entry -> Secrets.same(hash, entry.passwordHash()));
  }

  @Override
  public boolean accepted(String deviceId) {
    return deviceId != null && admits(deviceId, entry -> true);
  }

  /**
   * Whether a device is ACCEPTED and passes a check: from memory, or else from one lookup per
   * device and refresh period.
   */
  private boolean admits(String deviceId, Predicate<Entry> check) {
    if (admitted(entries.get(deviceId), check)) {
      return true;
    }
    Set<String> seen = lookedUp;
    if (seen.size() >= MAX_LOOKUPS || !seen.add(deviceId)) {
      return false;
    }
    try {
      refresh(deviceId);
    } catch (RuntimeException e) {
      LOG.warnf("cannot look up device %s, refusing it: %s", deviceId, e.getMessage());
      return false;
    }
    return admitted(entries.get(deviceId), check);
  }

  private static boolean admitted(Entry entry, Predicate<Entry> check) {
    return entry != null && entry.state() == IdentityState.ACCEPTED && check.test(entry);
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
    lookedUp = ConcurrentHashMap.newKeySet();
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
}
