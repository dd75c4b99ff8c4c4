package dev.ferry.protocol.device;

import dev.ferry.protocol.json.Fields;
import java.util.List;

/**
 * Device resource figures at the end of a batch's interval; each is null when not known.
 *
 * @param cpuLoad the process's CPU load between 0 and 1 (all cores)
 * @param rssBytes the agent's resident memory
 * @param diskFreeBytes free space of the agent's data directory
 * @param accelerators accelerators found
 */
public record DeviceMetrics(
    Double cpuLoad, Long rssBytes, Long diskFreeBytes, List<Accelerator> accelerators) {
  /** Checks the fields. */
  public DeviceMetrics {
    accelerators = Fields.list(accelerators, "accelerators");
  }
}
