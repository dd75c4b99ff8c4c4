package dev.ferry.hub.access;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.db.Database;
import dev.ferry.protocol.api.IssuedToken;
import dev.ferry.protocol.api.TokenInfo;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * API tokens: the admin token (configured, or generated once into {@code admin.token}, mode 0600)
 * and tokens an admin issues, each with an optional expiry after which it is refused. Only sha256
 * hashes are stored; a token is shown once, when issued, and never logged.
 */
@ApplicationScoped
public class Tokens {
  private static final Logger LOG = Logger.getLogger(Tokens.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Clock clock;
  @Inject HubConfig config;
  @Inject Database db;

  private volatile String adminHash;

  void start(@Observes StartupEvent event) {
    adminHash =
        hash(
            config
                .bootstrapToken()
                .filter(t -> !t.isBlank())
                .map(BootstrapToken::require)
                .orElseGet(this::adminTokenFile));
  }

  private String adminTokenFile() {
    Path file = config.dataDir().resolve("admin.token");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      Files.createDirectories(file.getParent());
      String token = newToken();
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
      LOG.infof("generated an admin token into %s", file);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the admin token file " + file, e);
    }
  }

  /**
   * Who holds a token.
   *
   * @param token the bearer token
   * @return the holder, or empty for an unknown token
   */
  public Optional<TokenHolder> authenticate(String token) {
    String hash = hash(token);
    if (MessageDigest.isEqual(
        hash.getBytes(StandardCharsets.US_ASCII), adminHash.getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of(new TokenHolder("admin", ApiRole.ADMIN));
    }
    return db.transaction(
        c -> {
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT name, role FROM api_token WHERE token_sha256 = ?"
                      + " AND (expires_at IS NULL OR expires_at > ?)")) {
            query.setString(1, hash);
            query.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet row = query.executeQuery()) {
              return row.next()
                  ? Optional.of(new TokenHolder(row.getString(1), ApiRole.of(row.getString(2))))
                  : Optional.empty();
            }
          }
        });
  }

  /**
   * Issues a token.
   *
   * @param name a unique name for it
   * @param role what it may do
   * @param expiresAt when it stops working, in the future; null for never
   * @return the token, which is not stored and cannot be shown again
   */
  public IssuedToken issue(String name, ApiRole role, Instant expiresAt) {
    Fields.matching(name, NAME, "name");
    if (name.equals("admin")) {
      throw new ApiException(ErrorCode.CONFLICT, "token name 'admin' is reserved");
    }
    String token = newToken();
    Instant now = clock.instant();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new FieldException("expiresAt", "must be in the future, got " + expiresAt);
    }
    int inserted =
        db.transaction(
            c -> {
              try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO api_token (name, role, token_sha256, created_at, expires_at)"
                          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, name);
                insert.setString(2, role.id());
                insert.setString(3, hash(token));
                insert.setTimestamp(4, Timestamp.from(now));
                insert.setTimestamp(5, expiresAt == null ? null : Timestamp.from(expiresAt));
                return insert.executeUpdate();
              }
            });
    if (inserted == 0) {
      throw new ApiException(ErrorCode.CONFLICT, "a token named " + Fields.show(name) + " exists");
    }
    return new IssuedToken(name, role.id(), token, now, expiresAt);
  }

  /** The issued tokens, without their secrets. */
  public List<TokenInfo> list() {
    return db.transaction(
        c -> {
          List<TokenInfo> tokens = new ArrayList<>();
          try (PreparedStatement query =
                  c.prepareStatement(
                      "SELECT name, role, created_at, expires_at FROM api_token ORDER BY name");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              tokens.add(
                  new TokenInfo(
                      row.getString(1),
                      ApiRole.of(row.getString(2)).id(),
                      row.getTimestamp(3).toInstant(),
                      row.getTimestamp(4) == null ? null : row.getTimestamp(4).toInstant()));
            }
          }
          return tokens;
        });
  }

  /**
   * Revokes a token.
   *
   * @param name its name
   */
  public void revoke(String name) {
    int deleted =
        db.transaction(
            c -> {
              try (PreparedStatement delete =
                  c.prepareStatement("DELETE FROM api_token WHERE name = ?")) {
                delete.setString(1, name);
                return delete.executeUpdate();
              }
            });
    if (deleted == 0) {
      throw new ApiException(ErrorCode.NOT_FOUND, "no token named " + Fields.show(name));
    }
  }

  private static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "fy_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String hash(String token) {
    return Digest.of(token.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
