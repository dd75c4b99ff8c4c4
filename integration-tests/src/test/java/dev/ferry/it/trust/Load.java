package dev.ferry.it.trust;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.fleet.Oip;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Inference requests sent by a few threads until stopped (without pause, or at a steady pace),
 * failures counted.
 */
public final class Load {
  /**
   * What the load saw.
   *
   * @param requests requests sent
   * @param failed requests that did not answer 200 with a version
   * @param served the versions that answered
   * @param firstFailure the first failure's status and body, or null
   */
  public record Result(long requests, long failed, Set<String> served, String firstFailure) {}

  private final Oip oip;
  private final String model;
  private final String body;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Set<String> served = ConcurrentHashMap.newKeySet();
  private volatile String firstFailure;
  private final List<Thread> threads = new ArrayList<>();
  private final long pauseMillis;

  Load(Oip oip, String model, String body, int threads) {
    this(oip, model, body, threads, 0);
  }

  /**
   * Starts the threads.
   *
   * @param pauseMillis how long each thread waits after each answer (0: none)
   */
  public Load(Oip oip, String model, String body, int threads, long pauseMillis) {
    this.pauseMillis = pauseMillis;
    this.oip = oip;
    this.model = model;
    this.body = body;
    for (int i = 0; i < threads; i++) {
      Thread thread = new Thread(this::run, "load-" + i);
      thread.setDaemon(true);
      thread.start();
      this.threads.add(thread);
    }
  }

  private void run() {
    while (running.get()) {
      requests.incrementAndGet();
      try {
        HttpResponse<String> response = oip.infer(model, body);
        JsonNode answer = Oip.JSON.readTree(response.body());
        if (response.statusCode() == 200 && answer.hasNonNull("model_version")) {
          served.add(answer.get("model_version").asText());
        } else {
          fail(response.statusCode() + " " + response.body());
        }
      } catch (Exception e) {
        fail(e.toString());
      }
      pause();
    }
  }

  private void pause() {
    try {
      Thread.sleep(pauseMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running.set(false);
    }
  }

  private void fail(String what) {
    failed.incrementAndGet();
    if (firstFailure == null) {
      firstFailure = what;
    }
  }

  /** The versions that answered so far. */
  public Set<String> served() {
    return new TreeSet<>(served);
  }

  /** Stops the threads and says what they saw. */
  public Result stop() throws InterruptedException {
    running.set(false);
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    return new Result(requests.get(), failed.get(), new TreeSet<>(served), firstFailure);
  }
}
