package dev.ferry.hub.rollout;

/**
 * Which of a rollout's devices its view lists: those in one state or all, by wave and id, a page at
 * a time.
 *
 * @param state only the devices in this state; null for all
 * @param from how many of them to pass over
 * @param size how many to list at most
 */
record DevicePage(DeviceProgress state, long from, int size) {
  /** Every device. */
  static final DevicePage ALL = new DevicePage(null, 0, Integer.MAX_VALUE);
}
