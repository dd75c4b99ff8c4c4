package dev.ferry.hub.capture;

import java.util.List;

/**
 * Waiting samples of one model version and day, all captured under one policy: what one dataset
 * holds.
 *
 * @param policy the policy they were captured under; null when not known (stored before the hub
 *     kept it)
 * @param samples the samples, oldest first; empty when none wait
 */
record SampleBatch(PolicyRecord policy, List<StoredSample> samples) {
  SampleBatch {
    samples = List.copyOf(samples);
  }
}
