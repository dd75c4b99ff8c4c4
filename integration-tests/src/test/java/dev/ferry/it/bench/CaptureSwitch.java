package dev.ferry.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.it.capture.CaptureFleet;
import dev.ferry.it.fleet.HubApi;
import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.JsonCodec;
import java.util.concurrent.TimeUnit;

/**
 * Switches capture for {@link CaptureBenchmark}'s phases by setting a policy (a rollout's or a
 * version's), which re-signs the device's desired state, and waits until the agent serves under the
 * new rate: for a rate above 0, its first sample captured, then {@link #SETTLE} requests more; for
 * 0, {@link #QUIET} requests in a row with none captured (at 1 % the chance of that is 0.99^2000,
 * 2e-9). A rate of 0 keeps a policy (the sampler draws nothing): the hub takes samples only under a
 * policy in force, and those captured before the switch still go up later.
 */
final class CaptureSwitch {
  static final int SETTLE = 1000;
  static final int QUIET = 2000;
  private static final long TIMEOUT_SECONDS = 60;

  private final HubApi api;
  private final String path;
  private final Load load;
  private final Oip oip;

  /**
   * Switches through a policy.
   *
   * @param path the policy's path under the hub's API
   */
  CaptureSwitch(HubApi api, String path, Load load, Oip oip) {
    this.api = api;
    this.path = path;
    this.load = load;
    this.oip = oip;
  }

  /** Sets the rate and waits until the agent applies it. */
  void to(double rate) throws Exception {
    CapturePolicy policy = CapturePolicy.sampling(rate, 1_000_000_000L, 1L << 40);
    assertEquals(200, api.put(path, new JsonCodec().encode(policy)).statusCode(), path);
    if (rate > 0) {
      awaitCapture();
      awaitRequests(load, load.requests() + SETTLE);
    } else {
      awaitQuiet();
    }
  }

  private void awaitCapture() throws Exception {
    long deadline = deadline();
    long before = captured();
    while (captured() == before) {
      check(deadline, "captured nothing after the switch on");
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private void awaitQuiet() throws Exception {
    long deadline = deadline();
    long captured = captured();
    long since = load.requests();
    while (load.requests() - since < QUIET) {
      check(deadline, "kept capturing at rate 0");
      TimeUnit.MILLISECONDS.sleep(50);
      long now = captured();
      if (now != captured) {
        captured = now;
        since = load.requests();
      }
    }
  }

  /** Waits until the load has made this many requests in all. */
  private static void awaitRequests(Load load, long requests) throws InterruptedException {
    long deadline = deadline();
    while (load.requests() < requests) {
      check(deadline, "served too few requests");
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  Load load() {
    return load;
  }

  private long captured() throws Exception {
    return CaptureFleet.captureCount(oip, "captured");
  }

  private static long deadline() {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
  }

  private static void check(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new AssertionError("the agent " + what + " for " + TIMEOUT_SECONDS + " s");
    }
  }
}
