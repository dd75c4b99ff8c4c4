package dev.ferry.hub.rollout;

/**
 * How many devices each chunk of a fan-out signs and commits: a small first chunk, so the first
 * devices have their desired state at once, then twice as many each time up to a largest size.
 *
 * @param first the first chunk's size
 * @param largest the size no chunk exceeds
 */
record ChunkSizes(int first, int largest) {
  /** The hub's: 100 devices first, then 200, 400, 800 and 1,000 at a time. */
  static final ChunkSizes FAN_OUT = new ChunkSizes(100, 1000);

  ChunkSizes {
    if (first < 1 || first > largest) {
      throw new IllegalArgumentException(
          "first must be between 1 and largest (" + largest + "), was " + first);
    }
  }

  /**
   * The size of a chunk.
   *
   * @param index the chunk's place in the fan-out, from 0
   * @return how many devices it takes at most
   */
  int of(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be 0 or more, was " + index);
    }
    return (int) Math.min(largest, (long) first << Math.min(index, 32));
  }
}
