package dev.ferry.hub.capture;

import dev.ferry.hub.db.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/** The {@code capture_policy_record} table: each policy samples were stored under, by digest. */
final class PolicyRecords {
  private static final String INSERT =
      "INSERT INTO capture_policy_record (digest, rollout_id, policy) VALUES (?, ?, ?)"
          + " ON CONFLICT DO NOTHING";

  private PolicyRecords() {}

  /** Keeps a policy's record, once per digest. */
  static void remember(Connection c, PolicyRecord record) throws SQLException {
    Jdbc.update(c, INSERT, record.digest().toString(), record.rolloutId(), record.json());
  }
}
