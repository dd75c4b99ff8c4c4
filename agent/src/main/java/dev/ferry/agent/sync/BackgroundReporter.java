package dev.ferry.agent.sync;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands events and reported states to another reporter on a thread of its own, in the order given:
 * whoever reports (an install in progress) never waits for the broker. A QoS 1 publish waits for
 * the broker's acknowledgement, which a broker that sends it behind Nagle's algorithm (Mosquitto's
 * default) can hold for a delayed ACK's 40 ms.
 */
final class BackgroundReporter implements Reporter, AutoCloseable {
  private final Reporter sender;
  private final ExecutorService thread;

  /**
   * @param sender sends each report, on the one thread
   * @param threads makes that thread
   */
  BackgroundReporter(Reporter sender, ThreadFactory threads) {
    this.sender = sender;
    // after close, reports are dropped as the agent stops (the event queue is in memory anyway)
    this.thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            threads,
            new ThreadPoolExecutor.DiscardPolicy());
  }

  @Override
  public void event(DeviceEvent event) {
    thread.execute(() -> sender.event(event));
  }

  @Override
  public void reported(ReportedState state) {
    thread.execute(() -> sender.reported(state));
  }

  /** Stops taking reports; those already given are still handed on. */
  @Override
  public void close() {
    thread.shutdown();
  }
}
