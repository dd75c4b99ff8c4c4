package dev.ferry.agent.serve;

/**
 * One admitted request's concurrency permit: given back once its exchange has ended and its
 * inference, if one started, has ended too, whichever comes last.
 */
final class Admission {
  /** The inference's part: closed when it ends. */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  private final Runnable release;
  private final Runnable abandoned;
  private boolean exchangeEnded;
  private boolean running;
  private boolean released;

  /**
   * @param release gives the permit back; run once
   * @param abandoned told when the exchange ends while the inference runs
   */
  Admission(Runnable release, Runnable abandoned) {
    this.release = release;
    this.abandoned = abandoned;
  }

  /** The inference starts; false if the permit was already given back (the client went away). */
  synchronized boolean start() {
    if (released) {
      return false;
    }
    running = true;
    return true;
  }

  /** The inference has ended. */
  synchronized void finish() {
    running = false;
    if (exchangeEnded) {
      release();
    }
  }

  /** The response was sent, or the connection closed. */
  synchronized void exchangeEnded() {
    exchangeEnded = true;
    if (running) {
      abandoned.run();
    } else {
      release();
    }
  }

  private void release() {
    if (!released) {
      released = true;
      release.run();
    }
  }
}
