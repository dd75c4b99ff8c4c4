package dev.ferry.agent.sync;

import java.util.concurrent.ThreadFactory;

/** The agent's background threads: named, and never what keeps the JVM from stopping. */
final class Threads {
  private Threads() {}

  /** Daemon threads of one name. */
  static ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
