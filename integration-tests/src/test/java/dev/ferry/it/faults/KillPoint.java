package dev.ferry.it.faults;

import dev.ferry.protocol.device.EventType;

/**
 * Where in an update {@link AgentKillFault} kills the agent: after an event the agent reports (or,
 * for the download, once its partial file has grown to a random fraction), plus a random delay of
 * up to {@code jitterMillis}.
 */
enum KillPoint {
  /** Mid-download: the partial file holds a random fraction of the model layer. */
  DOWNLOAD(null, 0),
  /** Manifest accepted, layers being fetched. */
  ACCEPTED(EventType.DESIRED_ACCEPTED, 40),
  /** Digests and signature verified: loading the session and checking golden vectors. */
  VALIDATION(EventType.VERIFIED, 150),
  /** Validated: the swap into the slot. */
  SWAP(EventType.VALIDATED, 40),
  /** Activated: state.json being written, the state reported. */
  STATE_WRITE(EventType.ACTIVATED, 25);

  final EventType after;
  final int jitterMillis;

  KillPoint(EventType after, int jitterMillis) {
    this.after = after;
    this.jitterMillis = jitterMillis;
  }
}
