package dev.ferry.agent.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceSamplerTest {
  @TempDir Path dir;

  @Test
  void diskFree_isTheUsableSpaceOfTheDataDirectory() {
    Long free = new DeviceSampler(dir, Set.of("CPU")).diskFree();
    long total = dir.toFile().getTotalSpace();
    assertTrue(free != null && free > 0 && free <= total, free + " of " + total);
  }

  @Test
  void diskFree_isUnknownForADataDirectoryThatDoesNotExist() {
    assertNull(new DeviceSampler(dir.resolve("missing"), Set.of("CPU")).diskFree());
  }

  @Test
  void sample_listsNoAcceleratorWithoutAGpuProvider() {
    assertEquals(0, new DeviceSampler(dir, Set.of("CPU")).sample().accelerators().size());
  }
}
