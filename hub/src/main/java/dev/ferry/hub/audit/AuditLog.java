package dev.ferry.hub.audit;

import dev.ferry.hub.db.Database;
import dev.ferry.protocol.api.AuditEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The audit log: every change made through the API and every step the rollout engine takes. */
@ApplicationScoped
public class AuditLog {
  /** The actor of the engine's own steps. */
  public static final String HUB = "hub";

  @Inject Clock clock;
  @Inject Database db;

  /**
   * Records a change in the caller's transaction.
   *
   * @param c the transaction
   * @param actor the token's name or {@link #HUB}
   * @param action what was done
   * @param target what it was done to
   * @param details the outcome, or null
   */
  public void record(Connection c, String actor, String action, String target, String details)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)")) {
      insert.setTimestamp(1, Timestamp.from(clock.instant()));
      insert.setString(2, clip(actor, 128));
      insert.setString(3, clip(action, 64));
      insert.setString(4, clip(target, 512));
      insert.setString(5, details);
      insert.executeUpdate();
    }
  }

  /**
   * Records a change in a transaction of its own.
   *
   * @param actor the token's name
   * @param action what was done
   * @param target what it was done to
   * @param details the outcome, or null
   */
  public void record(String actor, String action, String target, String details) {
    db.transaction(
        c -> {
          record(c, actor, action, target, details);
          return null;
        });
  }

  /**
   * The newest entries.
   *
   * @param actor only this actor's, or null
   * @param target only entries whose target starts with this, or null
   * @param before only entries numbered below this, or null (for paging back)
   * @param limit at most this many
   * @return newest first
   */
  public List<AuditEntry> newest(String actor, String target, Long before, int limit) {
    StringBuilder sql =
        new StringBuilder("SELECT id, at, actor, action, target, details FROM audit WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (actor != null) {
      sql.append(" AND actor = ?");
      args.add(actor);
    }
    if (target != null) {
      sql.append(" AND target LIKE ? ESCAPE '\\'");
      args.add(target.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
    }
    if (before != null) {
      sql.append(" AND id < ?");
      args.add(before);
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(limit);
    return db.transaction(
        c -> {
          List<AuditEntry> entries = new ArrayList<>();
          try (PreparedStatement query = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
              query.setObject(i + 1, args.get(i));
            }
            try (ResultSet row = query.executeQuery()) {
              while (row.next()) {
                entries.add(
                    new AuditEntry(
                        row.getLong(1),
                        row.getTimestamp(2).toInstant(),
                        row.getString(3),
                        row.getString(4),
                        row.getString(5),
                        row.getString(6)));
              }
            }
          }
          return entries;
        });
  }

  private static String clip(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max);
  }
}
