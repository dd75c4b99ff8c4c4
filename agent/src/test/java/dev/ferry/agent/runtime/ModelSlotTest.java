package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.Datatype;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSlotTest {
  private static final ArrayTensor ROW =
      new ArrayTensor("x", Datatype.FP32, new long[] {1, 4}, new float[] {1, 2, 3, 4});

  @TempDir Path dir;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.EPOCH);
  private final List<Rollback> rollbacks = new ArrayList<>();

  @Test
  void retire_keepsSessionOpenUntilTheLastReleaseThenCloses() {
    LoadedVersion version = linear("1", 1).version();
    assertTrue(version.acquire());
    version.retire();
    assertFalse(version.isClosed());
    version.release();
    assertTrue(version.isClosed());
    assertFalse(version.acquire());
  }

  @Test
  void retire_refusesNewLeasesWhileTheRequestsHeldDrain() {
    LoadedVersion version = linear("1", 1).version();
    assertTrue(version.acquire());
    version.retire();
    // a request that found this version just before it was retired must not start on it
    assertFalse(version.acquire());
    assertEquals(1, version.references());
    version.release();
    assertTrue(version.isClosed());
  }

  @Test
  void withdraw_letsTheRequestInFlightFinishThenClosesTheRevokedVersion() {
    LoadedVersion v1 = linear("1", 1).version();
    LoadedVersion v2 = linear("2", 2).version();
    ModelSlot slot = slot(v1);
    slot.swap(v2);
    Lease inFlight = slot.acquire();
    assertEquals(new Rollback("m", "2.0.0", "1.0.0", "revoked"), slot.withdraw("revoked"));
    try (Lease next = slot.acquire()) {
      assertSame(v1, next.version());
    }
    assertEquals(Optional.empty(), slot.acquire("2.0.0"));
    assertFalse(v2.acquire());
    assertEquals(1, inFlight.run(List.of(ROW), Set.of()).size());
    assertFalse(v2.isClosed());
    inFlight.close();
    assertTrue(v2.isClosed());
    assertEquals(List.of(), rollbacks, "a withdrawal is recorded by its caller, not as a rollback");
  }

  @Test
  void stop_refusesNewRequestsWithTheReasonAndClosesEachVersionOnceDrained() {
    LoadedVersion v1 = linear("1", 1).version();
    LoadedVersion v2 = linear("2", 2).version();
    ModelSlot slot = slot(v1);
    slot.swap(v2);
    Lease inFlight = slot.acquire();
    assertEquals("model 'm' stopped serving: REVOKED: m@2.0.0", slot.stop("REVOKED: m@2.0.0"));
    assertTrue(v1.isClosed());
    ModelStoppedException e = assertThrows(ModelStoppedException.class, slot::acquire);
    assertEquals("model 'm' stopped serving: REVOKED: m@2.0.0", e.getMessage());
    e = assertThrows(ModelStoppedException.class, () -> slot.acquire("1.0.0"));
    assertEquals("model 'm' stopped serving: REVOKED: m@2.0.0", e.getMessage());
    assertEquals(1, inFlight.run(List.of(ROW), Set.of()).size());
    inFlight.close();
    assertTrue(v2.isClosed());
  }

  @Test
  void withdraw_underConcurrentRequests_failsNoneAndClosesTheRevokedVersion() throws Exception {
    Map<String, TestVersions.Linear> loaded = new ConcurrentHashMap<>();
    loaded.put("1.0.0", linear("1", 1));
    loaded.put("2.0.0", linear("2", 2));
    ModelSlot slot = slot(loaded.get("1.0.0").version());
    slot.swap(loaded.get("2.0.0").version());
    AtomicBoolean running = new AtomicBoolean(true);
    Set<String> served = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<Future<Long>> results = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      results.add(workers.submit(() -> request(slot, loaded, served, running)));
    }
    awaitServed(served, "2.0.0");
    slot.withdraw("revoked");
    served.clear();
    awaitServed(served, "1.0.0");
    running.set(false);
    for (Future<Long> result : results) {
      result.get(30, TimeUnit.SECONDS);
    }
    workers.shutdown();
    assertTrue(loaded.get("2.0.0").version().isClosed());
    assertFalse(loaded.get("1.0.0").version().isClosed());
  }

  @Test
  void swap_makesTheOldActiveTheFallbackAndRetiresTheOldFallback() {
    LoadedVersion v1 = linear("1", 1).version();
    LoadedVersion v2 = linear("2", 2).version();
    LoadedVersion v3 = linear("3", 3).version();
    ModelSlot slot = slot(v1);
    slot.swap(v2);
    slot.swap(v3);
    assertSame(v3, slot.active());
    assertEquals(Optional.of(v2), slot.fallback());
    assertTrue(v1.isClosed());
    assertFalse(v2.isClosed());
  }

  @Test
  void swap_keepsOldSessionUntilRequestsDrain() {
    LoadedVersion v1 = linear("1", 1).version();
    ModelSlot slot = slot(v1);
    Lease lease = slot.acquire();
    slot.swap(linear("2", 2).version());
    slot.swap(linear("3", 3).version());
    assertFalse(v1.isClosed());
    assertEquals(1, lease.run(List.of(ROW), Set.of()).size());
    lease.close();
    assertTrue(v1.isClosed());
  }

  @Test
  void acquire_byVersionFindsTheFallbackAndNothingElse() {
    ModelSlot slot = slot(linear("1", 1).version());
    slot.swap(linear("2", 2).version());
    try (Lease lease = slot.acquire("1.0.0").orElseThrow()) {
      assertEquals("1.0.0", lease.version().version());
    }
    assertEquals(Optional.empty(), slot.acquire("9.0.0"));
  }

  @Test
  void rollback_restoresTheFallbackAndRetiresTheActive() {
    LoadedVersion v1 = linear("1", 1).version();
    LoadedVersion v2 = linear("2", 2).version();
    ModelSlot slot = slot(v1);
    slot.swap(v2);
    Rollback rollback = slot.rollback("operator asked");
    assertEquals(new Rollback("m", "2.0.0", "1.0.0", "operator asked"), rollback);
    assertEquals(List.of(rollback), rollbacks);
    assertSame(v1, slot.active());
    assertEquals(Optional.empty(), slot.fallback());
    assertTrue(v2.isClosed());
  }

  @Test
  void rollback_refusesWithoutFallback() {
    ModelSlot slot = slot(linear("1", 1).version());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> slot.rollback("why"));
    assertEquals("model 'm' has no fallback to roll back to from 1.0.0", e.getMessage());
  }

  @Test
  void record_rollsBackWhenProbationIsBreached() {
    LoadedVersion v1 = linear("1", 1).version();
    LoadedVersion v2 = linear("2", 2).version();
    ModelSlot slot = slot(v1);
    slot.swap(v2);
    assertEquals(Optional.empty(), slot.record(v2, false));
    Optional<Rollback> rollback = slot.record(v2, true);
    assertEquals(
        "error rate 0.500 (1 of 2 requests) exceeds max-error-rate 0.1 within probation window"
            + " PT1M",
        rollback.orElseThrow().reason());
    assertSame(v1, slot.active());
  }

  @Test
  void record_endsProbationWithTheWindow() {
    LoadedVersion v2 = linear("2", 2).version();
    ModelSlot slot = slot(linear("1", 1).version());
    slot.swap(v2);
    slot.record(v2, false);
    now.set(Instant.EPOCH.plusSeconds(60));
    slot.record(v2, true);
    slot.record(v2, true);
    assertSame(v2, slot.active());
    assertEquals(List.of(), rollbacks);
  }

  @Test
  void swap_underConcurrentRequests_neverFailsAndClosesDrainedVersions() throws Exception {
    Map<String, TestVersions.Linear> loaded = new ConcurrentHashMap<>();
    loaded.put("0.0.0", linear("0", 100));
    ModelSlot slot = slot(loaded.get("0.0.0").version());
    AtomicBoolean running = new AtomicBoolean(true);
    Set<String> served = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    List<Future<Long>> results = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      results.add(workers.submit(() -> request(slot, loaded, served, running)));
    }
    for (int i = 1; i <= 20; i++) {
      TestVersions.Linear next = linear(String.valueOf(i), 100 + i);
      loaded.put(i + ".0.0", next);
      slot.swap(next.version());
      awaitServed(served, i + ".0.0");
    }
    running.set(false);
    long requests = 0;
    for (Future<Long> result : results) {
      requests += result.get(30, TimeUnit.SECONDS);
    }
    workers.shutdown();
    assertEquals(21, served.size());
    assertTrue(requests >= 20, "requests: " + requests);
    for (int i = 0; i <= 18; i++) {
      assertTrue(loaded.get(i + ".0.0").version().isClosed(), "version " + i);
    }
    assertFalse(loaded.get("19.0.0").version().isClosed());
    assertFalse(loaded.get("20.0.0").version().isClosed());
  }

  private static long request(
      ModelSlot slot,
      Map<String, TestVersions.Linear> loaded,
      Set<String> served,
      AtomicBoolean running) {
    long count = 0;
    while (running.get()) {
      try (Lease lease = slot.acquire()) {
        ArrayTensor y = lease.run(List.of(ROW), Set.of()).get("y");
        String version = lease.version().version();
        assertEquals(
            loaded.get(version).expected(1, 2, 3, 4),
            IntStream.range(0, y.size()).mapToObj(y::element).toList(),
            "version " + version);
        served.add(version);
        count++;
      }
    }
    return count;
  }

  private static void awaitServed(Set<String> served, String version) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!served.contains(version) && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  private ModelSlot slot(LoadedVersion first) {
    Probation.Policy policy = new Probation.Policy(Duration.ofSeconds(60), 0.1, 2);
    return new ModelSlot(first, () -> new Probation(policy, now::get), rollbacks::add);
  }

  private TestVersions.Linear linear(String version, long seed) {
    return TestVersions.linear(dir, "m", version + ".0.0", seed);
  }
}
