package dev.ferry.hub.revocation;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.hub.signing.PendingPayload;
import dev.ferry.hub.signing.ReleaseRole;
import dev.ferry.hub.signing.TrustRootAdded;
import dev.ferry.protocol.device.TrustTopics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The signed revocation list: every revoked release, signed with the release key into one row whose
 * version grows with each change, and published retained on {@link TrustTopics#REVOCATIONS}. Signed
 * again at each start, so a new release key takes over the list. With the release key offline each
 * change waits as a pending payload until the list signed away from the hub is submitted.
 */
@ApplicationScoped
public class RevocationList {
  private static final Logger LOG = Logger.getLogger(RevocationList.class);

  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;
  @Inject HubKeys keys;
  @Inject ReleaseRole releaseRole;
  @Inject HubMqtt mqtt;
  @Inject Clock clock;

  void start(@Observes @Priority(2700) StartupEvent event) {
    Optional<Signer> key = keys.releaseKey();
    if (key.isPresent()) {
      // a rotated release key takes the list over; a list it signed already stays as it is
      if (!signedBy(key.get())) {
        db.transaction(this::resign);
      }
    } else {
      LOG.info("the revocation list is not signed again at start: the release key is offline");
      prepareIfRetired();
    }
    publish();
  }

  /** Whether the list as signed carries this key's signature and verifies under the newest root. */
  private boolean signedBy(Signer key) {
    return signed()
        .filter(list -> list.signatures().stream().anyMatch(s -> s.keyid().equals(key.keyId())))
        .filter(list -> releaseRole.signs(list, PayloadTypes.REVOCATIONS))
        .isPresent();
  }

  /** A new root may retire the release key that signed the list. */
  void rootAdded(@Observes TrustRootAdded event) {
    if (keys.releaseKey().isEmpty()) {
      prepareIfRetired();
    }
  }

  /**
   * With the release key offline: when the list as signed is not signed by the newest root's
   * release keys (the release key was rotated), devices refuse it; its next version is prepared for
   * the key's holder to sign, unless one waits already.
   *
   * @return whether one was prepared
   */
  boolean prepareIfRetired() {
    Optional<Envelope> signed = signed();
    if (signed.isEmpty() || releaseRole.signs(signed.get(), PayloadTypes.REVOCATIONS)) {
      return false;
    }
    Optional<PendingPayload> prepared =
        db.transaction(c -> pending(c).isPresent() ? Optional.empty() : Optional.of(prepare(c)));
    prepared.ifPresent(
        next ->
            LOG.warnf(
                "the revocation list as signed is not signed by the release keys of the newest"
                    + " trust root: devices refuse it. %s waits for a signature: GET"
                    + " /api/v1/trust/revocations/pending, ferry release sign it with the release"
                    + " key, PUT /api/v1/trust/revocations",
                next.what()));
    return prepared.isPresent();
  }

  /**
   * Prepares the next version of the list, in the caller's transaction, and signs it when the
   * release key is online; else it waits for {@link #submit} (ferry release revoke --key).
   *
   * @param c the transaction
   * @return the signed list; empty while it waits for the offline release key
   * @throws SQLException on a database error
   */
  Optional<Envelope> resign(Connection c) throws SQLException {
    PendingPayload next = prepare(c);
    Optional<Signer> key = keys.releaseKey();
    return key.isEmpty()
        ? Optional.empty()
        : Optional.of(attach(c, key.get().sign(PayloadTypes.REVOCATIONS, next.bytes())));
  }

  private PendingPayload prepare(Connection c) throws SQLException {
    Jdbc.update(c, "UPDATE revocation_list SET version = version + 1 WHERE id = 1");
    long version =
        Jdbc.query(c, "SELECT version FROM revocation_list WHERE id = 1", r -> r.getLong(1)).get(0);
    Revocations list =
        new Revocations(version, clock.instant().truncatedTo(ChronoUnit.MILLIS), null, entries(c));
    byte[] payload = codec.encode(list);
    Jdbc.update(
        c,
        "UPDATE revocation_list SET pending_payload = ? WHERE id = 1",
        new String(payload, StandardCharsets.UTF_8));
    return pending(version, payload);
  }

  private static PendingPayload pending(long version, byte[] payload) {
    return new PendingPayload("the revocation list version " + version, payload);
  }

  /** The list waiting for its signature, in the caller's transaction; empty when none does. */
  private Optional<PendingPayload> pending(Connection c) throws SQLException {
    return Jdbc.query(
            c,
            "SELECT version, pending_payload FROM revocation_list WHERE id = 1",
            r -> {
              long version = r.getLong(1);
              return Optional.ofNullable(r.getString(2))
                  .map(p -> pending(version, p.getBytes(StandardCharsets.UTF_8)));
            })
        .get(0);
  }

  /** The list waiting for the offline release key's signature; empty when none does. */
  public Optional<PendingPayload> pending() {
    return db.transaction(this::pending);
  }

  /**
   * Takes the list signed away from the hub and publishes it.
   *
   * @param signed the pending list signed by a threshold of the current root's release keys
   * @return the list as stored
   * @throws ApiException 400 if it does not verify, 409 if no list waits or it is not the pending
   *     one
   */
  public Envelope submit(Envelope signed) {
    releaseRole.verify(signed, PayloadTypes.REVOCATIONS);
    Envelope stored = db.transaction(c -> attach(c, signed));
    LOG.info("the revocation list signed offline is taken");
    publish();
    return stored;
  }

  private Envelope attach(Connection c, Envelope signed) throws SQLException {
    PendingPayload next =
        pending(c)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.CONFLICT, "no revocation list waits for a signature"));
    next.requireSame(signed.payloadBytes());
    Jdbc.update(
        c,
        "UPDATE revocation_list SET envelope = ?, pending_payload = NULL WHERE id = 1",
        text(signed));
    return signed;
  }

  /** The list as last signed; empty while none was (a release key offline since the start). */
  public Optional<Envelope> signed() {
    return db.transaction(
            c ->
                Jdbc.query(
                    c,
                    "SELECT envelope FROM revocation_list WHERE id = 1",
                    r -> Optional.ofNullable(r.getString(1))))
        .get(0)
        .map(json -> codec.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class));
  }

  /** Publishes the list as last signed: a replica that signed an older one never overwrites it. */
  void publish() {
    Optional<Envelope> signed = signed();
    if (signed.isEmpty()) {
      return;
    }
    byte[] payload = codec.encode(signed.get());
    var topic = TrustTopics.REVOCATIONS;
    if (mqtt.publishAll(List.of(new HubMqtt.Outgoing(topic, payload, true))).isEmpty()) {
      LOG.warnf("the broker did not take the revocation list on %s", topic);
    }
  }

  private static List<RevokedRelease> entries(Connection c) throws SQLException {
    return Jdbc.query(
        c,
        "SELECT model, version, manifest_digest, revoked_at, revoked_reason FROM model_release"
            + " WHERE revoked_at IS NOT NULL ORDER BY revoked_at, model, version",
        r ->
            new RevokedRelease(
                r.getString(1),
                r.getString(2),
                Digest.parse(r.getString(3)),
                Jdbc.time(r, 4),
                r.getString(5)));
  }

  private String text(Envelope envelope) {
    return new String(codec.encode(envelope), StandardCharsets.UTF_8);
  }
}
