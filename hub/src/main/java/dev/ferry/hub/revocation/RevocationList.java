package dev.ferry.hub.revocation;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.protocol.device.TrustTopics;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
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
 * again at each start, so a new release key takes over the list.
 */
@ApplicationScoped
public class RevocationList {
  private static final Logger LOG = Logger.getLogger(RevocationList.class);

  private final JsonCodec codec = new JsonCodec();

  @Inject Database db;
  @Inject HubKeys keys;
  @Inject HubMqtt mqtt;
  @Inject Clock clock;

  void start(@Observes @Priority(2700) StartupEvent event) {
    try {
      db.transaction(this::resign);
    } catch (ApiException e) {
      // releaseSigner() answers so for a release key kept offline: the stored list stays
      LOG.infof("the revocation list is not signed again at start: %s", e.getMessage());
    }
    publish();
  }

  /**
   * Signs the list again, in the caller's transaction, under the next version.
   *
   * @param c the transaction
   * @return the signed list
   * @throws SQLException on a database error
   */
  Envelope resign(Connection c) throws SQLException {
    Jdbc.update(c, "UPDATE revocation_list SET version = version + 1 WHERE id = 1");
    long version =
        Jdbc.query(c, "SELECT version FROM revocation_list WHERE id = 1", r -> r.getLong(1)).get(0);
    Revocations list =
        new Revocations(version, clock.instant().truncatedTo(ChronoUnit.MILLIS), null, entries(c));
    Envelope signed = keys.releaseSigner().sign(PayloadTypes.REVOCATIONS, codec.encode(list));
    Jdbc.update(c, "UPDATE revocation_list SET envelope = ? WHERE id = 1", text(signed));
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
