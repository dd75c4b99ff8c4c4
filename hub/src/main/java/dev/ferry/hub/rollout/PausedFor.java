package dev.ferry.hub.rollout;

/** What a paused rollout waits for, which decides what a resume does. */
enum PausedFor {
  /** An operator paused it; a resume goes on with the same wave. */
  MANUAL,
  /** The wave is done and autoAdvance is off; a resume starts the next wave. */
  WAVE_DONE,
  /** The wave's failures passed the error threshold; a resume starts the next wave. */
  ERRORS,
  /** A metric gate tripped; a resume starts the next wave. */
  GATE
}
