package dev.ferry.hub.rollout;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.signing.HubKeys;
import dev.ferry.hub.signing.PendingPayload;
import dev.ferry.hub.signing.ReleaseRole;
import dev.ferry.hub.signing.TrustChain;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.RoleKeys;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Release statements after a rotation of the release key. Devices verify every statement a desired
 * state carries against the release keys of their newest root, and refuse the whole state when one
 * does not verify; so each published release a device may be assigned must carry a statement the
 * newest root's release keys signed. After a routine rotation the release manager has them signed
 * again, the payload unchanged: by the hub's release key ({@link #renewAll}, {@code ferry release
 * renew}), or away from the hub with {@code ferry release sign} and handed back ({@link #submit}).
 * Never on its own: after a compromise of the old key, a release it signed may be the attacker's,
 * to revoke rather than sign again. The desired states that assign a release signed again are
 * marked in the same transaction, and the {@link Resigner} signs them again.
 */
@ApplicationScoped
public class StatementRenewal {
  private static final Logger LOG = Logger.getLogger(StatementRenewal.class);
  private static final int NAMED = 5;

  @Inject Database db;
  @Inject Catalog catalog;
  @Inject HubKeys keys;
  @Inject TrustChain trust;
  @Inject ReleaseRole releaseRole;
  @Inject DesiredStates desired;

  /**
   * Warns, naming them, when live releases carry a statement the newest root's release keys did not
   * sign.
   *
   * @param root the newest root
   */
  public void warnIfStale(TrustRoot root) {
    List<Release> stale = stale(root);
    if (stale.isEmpty()) {
      return;
    }
    String how =
        keys.releaseKey().filter(k -> signsAlone(root, k)).isPresent()
            ? "ferry release renew signs them all again with this hub's release key"
            : "sign each again: ferry release statement MODEL VERSION --out s.json, ferry release"
                + " sign s.json --key RELEASE-KEY.pem --out s.dsse.json, ferry release attach"
                + " MODEL VERSION s.dsse.json";
    LOG.warnf(
        "%d published releases carry a statement the release keys of trust root version %d did not"
            + " sign (%s): devices refuse every desired state that assigns one. After a routine"
            + " rotation of the release key, %s; after a compromise, revoke those you do not trust"
            + " first",
        stale.size(), root.version(), names(stale), how);
  }

  /**
   * Signs again, with the hub's release key, every live release whose statement the newest root's
   * release keys did not sign.
   *
   * @return the releases signed again
   * @throws ApiException 409 when the hub holds no release key, or one the newest root does not
   *     take alone
   */
  public List<Release> renewAll() {
    TrustRoot root = trust.current();
    Signer key = keys.releaseSigner();
    if (!signsAlone(root, key)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          "this hub's release key "
              + key.keyId().substring(0, 12)
              + " does not sign alone for the release role of trust root version "
              + root.version()
              + ": sign each statement away from the hub (ferry release statement, sign, attach)");
    }
    List<Release> stale = stale(root);
    if (stale.isEmpty()) {
      return List.of();
    }
    List<Release> renewed =
        db.transaction(
            c -> {
              List<Release> done = new ArrayList<>();
              for (Release release : stale) {
                Envelope again = key.sign(PayloadTypes.IN_TOTO, release.statement().payloadBytes());
                done.add(catalog.replaceStatement(c, release, again));
                desired.markToSignAgain(c, release.name(), release.version());
              }
              return done;
            });
    LOG.infof(
        "signed the statements of %d published releases again with release key %s (%s)",
        renewed.size(), key.keyId().substring(0, 12), names(renewed));
    return renewed;
  }

  /**
   * The statement payload of a published release whose statement the current root's release keys
   * did not sign, to sign away from the hub.
   *
   * @throws ApiException 404 without such a release, 409 when its statement verifies
   */
  public byte[] payload(String model, String version) {
    TrustRoot root = trust.current();
    return db.transaction(c -> requireStale(c, model, version, root)).statement().payloadBytes();
  }

  /**
   * Takes the statement of a published release signed again away from the hub.
   *
   * @param model the model
   * @param version the version
   * @param signed its payload, unchanged, signed by a threshold of the current root's release keys
   * @return the release with it
   * @throws ApiException 400 if it does not verify, 404 without such a release, 409 if the stored
   *     statement verifies already or the payload differs
   */
  public Release submit(String model, String version, Envelope signed) {
    releaseRole.verify(signed, PayloadTypes.IN_TOTO);
    Release renewed =
        db.transaction(
            c -> {
              Release release = requireStale(c, model, version, trust.current());
              new PendingPayload(
                      "the statement of " + model + "@" + version,
                      release.statement().payloadBytes())
                  .requireSame(signed.payloadBytes());
              desired.markToSignAgain(c, model, version);
              return catalog.replaceStatement(c, release, signed);
            });
    LOG.infof("release %s@%s carries its statement signed again away from the hub", model, version);
    return renewed;
  }

  /** Whether a release is published and its statement is one the root's release keys signed. */
  public static boolean verifies(TrustRoot root, Release release) {
    return ReleaseRole.signs(root, release.statement(), PayloadTypes.IN_TOTO);
  }

  private Release requireStale(Connection c, String model, String version, TrustRoot root)
      throws SQLException {
    String named = "model " + Fields.show(model) + " version " + Fields.show(version);
    Release release =
        catalog
            .release(c, model, version)
            .orElseThrow(
                () ->
                    new ApiException(
                        ErrorCode.NOT_FOUND,
                        "model " + Fields.show(model) + " has no version " + Fields.show(version)));
    if (release.revoked() != null) {
      throw new ApiException(
          ErrorCode.CONFLICT, named + " was revoked: its statement is not signed again");
    }
    if (verifies(root, release)) {
      throw new ApiException(
          ErrorCode.CONFLICT,
          named
              + " is published with a statement the release keys of trust root version "
              + root.version()
              + " signed: nothing waits for a signature");
    }
    return release;
  }

  private List<Release> stale(TrustRoot root) {
    return db.transaction(catalog::live).stream().filter(r -> !verifies(root, r)).toList();
  }

  /** Whether the root's release role takes this key's signature alone. */
  private static boolean signsAlone(TrustRoot root, Signer key) {
    RoleKeys role = root.roles().get(Role.RELEASE.id());
    return role.threshold() == 1 && role.keyids().contains(key.keyId());
  }

  private static String names(List<Release> releases) {
    String named =
        releases.stream()
            .limit(NAMED)
            .map(r -> r.name() + "@" + r.version())
            .collect(Collectors.joining(", "));
    return releases.size() > NAMED ? named + ", …" : named;
  }
}
