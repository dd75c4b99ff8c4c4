package dev.ferry.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's data directory on a 3 MiB tmpfs (mounting one needs root: skipped otherwise), a 4 MiB
 * model rolled out: the download fails for want of space, the agent reports it (a FAILED event,
 * retried) and keeps serving the old version; once the tmpfs is grown to 64 MiB the retry installs
 * the new version, and no cached blob fails its digest.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskFullFault {
  private static final int[] SMALL = {64, 64};
  private static final int[] LARGE = {1024, 1024};

  private Path dataDir;
  private SoloAgent rig;

  @BeforeAll
  void startAgentOnASmallFilesystem(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    dataDir = Files.createDirectories(dir.resolve("agent"));
    run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dataDir.toString());
    rig = new SoloAgent(dir, dataDir);
    rig.start();
    rig.roll(1, SMALL);
    new Oip(rig.agent()).awaitVersion(SoloAgent.MODEL, Oip.request(SMALL[0]), "1.0.0");
  }

  @AfterAll
  void unmount() throws Exception {
    if (rig != null) {
      rig.close();
    }
    if (dataDir != null) {
      run("umount", "-l", dataDir.toString());
    }
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
  }

  @Test
  void diskFullDuringADownload_isReportedTheOldVersionServesAndItRecovers() throws Exception {
    int mark = rig.wire.mark();
    long rolled = System.nanoTime();
    TestHub.Release next = rig.roll(2, LARGE);
    DeviceEvent failed =
        rig.wire.await(mark, e -> e.type() == EventType.FAILED, "FAILED for want of space");
    Duration toFailure = Duration.ofNanos(System.nanoTime() - rolled);
    Oip oip = new Oip(rig.agent());
    for (int i = 0; i < 50; i++) {
      assertEquals("1.0.0", oip.served(SoloAgent.MODEL, Oip.request(SMALL[0])));
      Thread.sleep(100);
    }
    AgentCache cache = new AgentCache(dataDir);
    assertEquals(List.of(), cache.corruptBlobs());
    long failures = rig.wire.since(mark).stream().filter(e -> e.type() == EventType.FAILED).count();

    run("mount", "-o", "remount,size=64m", dataDir.toString());
    long freed = System.nanoTime();
    oip.awaitVersion(SoloAgent.MODEL, Oip.request(LARGE[0]), "2.0.0");
    Duration recovery = Duration.ofNanos(System.nanoTime() - freed);
    new Figures("F5 disk full")
        .add("filesystem", "tmpfs 3MiB")
        .add("modelBytes", next.modelLayer().size())
        .add("firstFailedAfter", Figures.seconds(toFailure))
        .add("failedEventsWhileFull", failures)
        .add("reason", "'" + failed.reason() + "'")
        .add("recoveredAfterSpaceFreed", Figures.seconds(recovery))
        .add("corruptBlobs", cache.corruptBlobs().size())
        .add("leftoverTmp", cache.leftoverTemporaries().size())
        .report();
    assertTrue(failed.reason().endsWith("; retrying"), failed.reason());
    assertEquals(List.of(), cache.corruptBlobs());
    assertTrue(cache.stateFileComplete(), "state.json");
  }
}
