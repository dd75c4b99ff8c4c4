package dev.ferry.agent.telemetry;

import com.sun.management.OperatingSystemMXBean;
import dev.ferry.protocol.device.Accelerator;
import dev.ferry.protocol.device.DeviceMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The device's side of a telemetry batch: system CPU load, the agent's resident memory, free space
 * of the data directory, and the NVIDIA GPUs the driver lists in {@code /proc} when CUDA or
 * TensorRT is among the execution providers ONNX Runtime offers.
 */
final class DeviceSampler {
  private static final Path NVIDIA_GPUS = Path.of("/proc/driver/nvidia/gpus");

  private final Path dataDir;
  private final Set<String> providers;

  /**
   * @param dataDir the agent's data directory
   * @param providers the execution providers ONNX Runtime offers here
   */
  DeviceSampler(Path dataDir, Set<String> providers) {
    this.dataDir = dataDir;
    this.providers = providers;
  }

  DeviceMetrics sample() {
    return new DeviceMetrics(cpuLoad(), rss(), diskFree(), accelerators());
  }

  private static Double cpuLoad() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      double load = os.getCpuLoad();
      return load < 0 ? null : load;
    }
    return null;
  }

  private static Long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException notLinux) {
      // no /proc here
    }
    return null;
  }

  /**
   * Free space through statvfs ({@link java.io.File#getUsableSpace}): {@code Files.getFileStore}
   * fails where {@code /proc/mounts} does not list the path (chroots, some containers).
   */
  Long diskFree() {
    return Files.isDirectory(dataDir) ? dataDir.toFile().getUsableSpace() : null;
  }

  private List<Accelerator> accelerators() {
    List<Accelerator> found = new ArrayList<>();
    if (!(providers.contains("CUDA") || providers.contains("TENSORRT"))
        || !Files.isDirectory(NVIDIA_GPUS)) {
      return found;
    }
    try (Stream<Path> gpus = Files.list(NVIDIA_GPUS)) {
      for (Path gpu : gpus.sorted().toList()) {
        found.add(new Accelerator("CUDA", model(gpu.resolve("information")), null, null, null));
      }
    } catch (IOException e) {
      // the driver's listing went away; report none
    }
    return found;
  }

  private static String model(Path information) {
    try {
      for (String line : Files.readAllLines(information)) {
        if (line.startsWith("Model:")) {
          return line.substring("Model:".length()).strip();
        }
      }
    } catch (IOException e) {
      // unreadable: no name
    }
    return null;
  }
}
