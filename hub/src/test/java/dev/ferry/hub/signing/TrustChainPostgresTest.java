package dev.ferry.hub.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.hub.PostgresProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Seeding the trust chain on PostgreSQL, as replicas starting together do. */
@QuarkusTest
@TestProfile(PostgresProfile.class)
class TrustChainPostgresTest {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Database db;
  @Inject TrustChain chain;

  @Test
  void twoReplicasSeedingRootV1AtOnce_bothStart_andOneRootIsStored() throws Exception {
    List<Envelope> before = chain.chain().roots();
    Envelope first = before.get(0);
    TrustRoot root = TrustRoot.selfSigned(first, CODEC);
    db.transaction(c -> Jdbc.update(c, "DELETE FROM trust_root"));
    CountDownLatch seeded = new CountDownLatch(1);
    ExecutorService replicas = Executors.newFixedThreadPool(2);
    try {
      // the first replica inserts root v1 and commits a moment later; the second, which saw an
      // empty chain, inserts it meanwhile
      Future<Object> one =
          replicas.submit(
              () ->
                  db.transaction(
                      c -> {
                        chain.seed(c, first, root);
                        seeded.countDown();
                        awaitABackendWaitingOnALock();
                        return null;
                      }));
      Future<Object> two =
          replicas.submit(
              () -> {
                seeded.await();
                return db.transaction(
                    c -> {
                      chain.seed(c, first, root);
                      return null;
                    });
              });
      one.get(30, TimeUnit.SECONDS);
      two.get(30, TimeUnit.SECONDS);
    } finally {
      replicas.shutdownNow();
      restore(before);
    }
    assertEquals(before, chain.chain().roots());
  }

  @Test
  void aDifferentRootStoredUnderTheVersion_isAStartupErrorNamingBothDigests() {
    Envelope stored = chain.chain().roots().get(0);
    KeyPair other = Ed25519.generate();
    TrustRoot root =
        TrustRoot.initial(
            null,
            Map.of(
                Role.ROOT, List.of(other.getPublic()),
                Role.RELEASE, List.of(other.getPublic()),
                Role.HUB, List.of(other.getPublic())),
            1);
    Envelope signed = new Signer(other).sign(PayloadTypes.ROOT, CODEC.encode(root));

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                db.transaction(
                    c -> {
                      chain.seed(c, signed, root);
                      return null;
                    }));
    assertEquals(
        "trust root version 1 in the database (payload "
            + Digest.of(stored.payloadBytes())
            + ") is not the root this hub starts with (payload "
            + Digest.of(signed.payloadBytes())
            + "): ferry.hub.keys.root-document, or the quickstart's root key, belongs to another"
            + " hub",
        refused.getMessage());
  }

  /** Until the other replica's insert waits on this one's uncommitted row. */
  private void awaitABackendWaitingOnALock() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (waitingOnALock() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second replica's seed never waited on the first's insert");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while awaiting the second replica", e);
      }
    }
  }

  private long waitingOnALock() {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND datname = current_database()",
                    row -> row.getLong(1))
                .get(0));
  }

  /** Puts back any root above version 1 that other tests added. */
  private void restore(List<Envelope> roots) {
    db.transaction(
        c -> {
          for (Envelope root : roots) {
            Jdbc.update(
                c,
                "INSERT INTO trust_root (version, envelope, added_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT DO NOTHING",
                CODEC.decode(root.payloadBytes(), TrustRoot.class).version(),
                new String(CODEC.encode(root), java.nio.charset.StandardCharsets.UTF_8),
                java.time.Instant.now());
          }
          return null;
        });
  }
}
