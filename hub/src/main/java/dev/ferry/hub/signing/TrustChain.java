package dev.ferry.hub.signing;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.protocol.device.TrustTopics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.RootChain;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The chain of signed trust roots, kept in the database (each root verified against the one before
 * it) and published retained on {@link TrustTopics#ROOTS} at start and after each new root.
 */
@ApplicationScoped
public class TrustChain {
  private static final Logger LOG = Logger.getLogger(TrustChain.class);

  @Inject Database db;
  @Inject HubKeys keys;
  @Inject HubMqtt mqtt;
  @Inject Clock clock;
  @Inject Event<TrustRootAdded> added;

  private final JsonCodec codec = new JsonCodec();

  void start(@Observes @Priority(2600) StartupEvent event) {
    Envelope first = keys.firstRoot();
    TrustRoot root = TrustRoot.selfSigned(first, codec);
    db.transaction(
        c -> {
          seed(c, first, root);
          return null;
        });
    KeyCheck.warnIfNotListed(keys, current());
    publish();
  }

  /**
   * Stores the first root; a configured document newer than the stored chain must follow it.
   * Replicas starting together may both insert it: the insert is skipped when the version is there,
   * and what is stored under it must then be the same root.
   */
  void seed(Connection c, Envelope first, TrustRoot root) throws SQLException {
    List<Envelope> stored = stored(c);
    if (stored.isEmpty()) {
      insertIfAbsent(c, root.version(), first);
    } else if (root.version() > decode(stored.get(stored.size() - 1)).version()) {
      insertIfAbsent(c, following(decode(stored.get(stored.size() - 1)), first).version(), first);
    }
    requireStored(c, root.version(), first);
  }

  private TrustRoot following(TrustRoot latest, Envelope first) {
    try {
      return latest.verifyNext(first, codec);
    } catch (UntrustedSignatureException e) {
      throw new IllegalStateException(
          "ferry.hub.keys.root-document does not follow the hub's trust chain: " + e.getMessage());
    }
  }

  /**
   * The root stored under a version must be the one this hub starts with: the same document, in
   * whatever order a replica encoded its maps.
   */
  private void requireStored(Connection c, int version, Envelope first) throws SQLException {
    TrustRoot expected = decode(first);
    for (Envelope stored : stored(c)) {
      TrustRoot found = decode(stored);
      if (found.version() == version && !found.equals(expected)) {
        throw new IllegalStateException(
            "trust root version "
                + version
                + " in the database (payload "
                + Digest.of(stored.payloadBytes())
                + ") is not the root this hub starts with (payload "
                + Digest.of(first.payloadBytes())
                + "): ferry.hub.keys.root-document, or the quickstart's root key, belongs to"
                + " another hub");
      }
    }
  }

  /** The whole chain, oldest first. */
  public RootChain chain() {
    return new RootChain(db.transaction(TrustChain::stored));
  }

  /** The newest signed root. */
  public Envelope latest() {
    List<Envelope> roots = chain().roots();
    return roots.get(roots.size() - 1);
  }

  /** The newest root, as verified when it was added. */
  public TrustRoot current() {
    return decode(latest());
  }

  /**
   * Adds root N+1 and publishes the chain.
   *
   * @param next the signed root
   * @return the chain with it
   * @throws ApiException 409 if it is not version N+1, 400 if it does not verify or has expired
   */
  public RootChain append(Envelope next) {
    TrustRoot accepted = db.transaction(c -> verifiedNext(c, next));
    LOG.infof("trust root version %d added to the chain", accepted.version());
    KeyCheck.warnIfNotListed(keys, accepted);
    publish();
    added.fire(new TrustRootAdded(accepted));
    return chain();
  }

  private TrustRoot verifiedNext(Connection c, Envelope next) throws SQLException {
    List<Envelope> stored = stored(c);
    TrustRoot latest = decode(stored.get(stored.size() - 1));
    int claimed = claimedVersion(next);
    if (claimed != latest.version() + 1) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "root version must be " + (latest.version() + 1) + ", got " + claimed);
    }
    TrustRoot accepted = verify(latest, next);
    insert(c, accepted.version(), next);
    return accepted;
  }

  private TrustRoot verify(TrustRoot latest, Envelope next) {
    try {
      TrustRoot accepted = latest.verifyNext(next, codec);
      if (accepted.isExpiredAt(clock.instant())) {
        throw new UntrustedSignatureException(
            "trust root version " + accepted.version() + " expired at " + accepted.expiresAt());
      }
      return accepted;
    } catch (UntrustedSignatureException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, e.getMessage());
    }
  }

  private int claimedVersion(Envelope next) {
    try {
      return decode(next).version();
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "payload: " + e.getMessage());
    }
  }

  private void publish() {
    byte[] payload = codec.encode(chain());
    var sent = mqtt.publishAll(List.of(new HubMqtt.Outgoing(TrustTopics.ROOTS, payload, true)));
    if (sent.isEmpty()) {
      LOG.warnf("the broker did not take the trust chain on %s", TrustTopics.ROOTS);
    }
  }

  private TrustRoot decode(Envelope envelope) {
    return codec.decode(envelope.payloadBytes(), TrustRoot.class);
  }

  private static List<Envelope> stored(Connection c) throws SQLException {
    JsonCodec codec = new JsonCodec();
    return Jdbc.query(
        c,
        "SELECT envelope FROM trust_root ORDER BY version",
        row -> codec.decode(row.getString(1).getBytes(StandardCharsets.UTF_8), Envelope.class));
  }

  private void insertIfAbsent(Connection c, int version, Envelope envelope) throws SQLException {
    // ON CONFLICT waits for a replica seeding the same version and then inserts nothing
    Jdbc.update(
        c,
        "INSERT INTO trust_root (version, envelope, added_at) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        version,
        new String(codec.encode(envelope), StandardCharsets.UTF_8),
        clock.instant());
  }

  private void insert(Connection c, int version, Envelope envelope) throws SQLException {
    Jdbc.update(
        c,
        "INSERT INTO trust_root (version, envelope, added_at) VALUES (?, ?, ?)",
        version,
        new String(codec.encode(envelope), StandardCharsets.UTF_8),
        clock.instant());
  }
}
