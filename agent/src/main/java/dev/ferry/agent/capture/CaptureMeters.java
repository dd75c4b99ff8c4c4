package dev.ferry.agent.capture;

import java.util.concurrent.atomic.AtomicLong;

/** Counts of the capture pipeline, from sampling to upload; cumulative since start. */
public final class CaptureMeters {
  final AtomicLong captured = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong spooled = new AtomicLong();
  final AtomicLong uploaded = new AtomicLong();
  final AtomicLong refused = new AtomicLong();
  final AtomicLong withheld = new AtomicLong();
  final AtomicLong unreadable = new AtomicLong();

  /** Requests sampled and queued. */
  public long captured() {
    return captured.get();
  }

  /** Samples lost: the queue or the spool was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Samples written to the spool. */
  public long spooled() {
    return spooled.get();
  }

  /** Samples the hub acknowledged. */
  public long uploaded() {
    return uploaded.get();
  }

  /** Samples deleted unsent because capture was switched off for their version. */
  public long withheld() {
    return withheld.get();
  }

  /** Samples the hub refused (a 4xx naming them): dropped from the spool, never sent again. */
  public long refused() {
    return refused.get();
  }

  /**
   * Spooled samples that could not be read back (a file torn by a power cut, altered or deleted by
   * hand): deleted from the spool unsent, so that the ones behind them still go.
   */
  public long unreadable() {
    return unreadable.get();
  }
}
