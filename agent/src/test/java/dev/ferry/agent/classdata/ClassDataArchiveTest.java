package dev.ferry.agent.classdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.agent.classdata.ClassDataArchive.Step;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClassDataArchiveTest {
  private static final ArchiveKey NOW = new ArchiveKey("vm 17.0.15+6\n");
  private static final ArchiveKey BEFORE_THE_UPGRADE = new ArchiveKey("vm 17.0.14+7\n");

  @Test
  void runWritingItAtExit_vouchesForIt() {
    assertEquals(Step.VOUCH, ClassDataArchive.next(true, false, false, Optional.empty(), NOW));
    assertEquals(
        Step.VOUCH,
        ClassDataArchive.next(true, false, false, Optional.of(BEFORE_THE_UPGRADE), NOW));
  }

  @Test
  void mappedArchiveMadeForThisJvmAndBuild_isKept() {
    assertEquals(Step.KEEP, ClassDataArchive.next(false, true, true, Optional.of(NOW), NOW));
  }

  @Test
  void archiveTheJvmCouldNotMap_isRemovedThoughItsKeyMatches() {
    assertEquals(
        Step.REMOVE_UNMAPPED, ClassDataArchive.next(false, true, false, Optional.of(NOW), NOW));
  }

  @Test
  void mappedArchiveOfAnotherJvmOrBuild_isRemoved() {
    assertEquals(
        Step.REMOVE_STALE,
        ClassDataArchive.next(false, true, true, Optional.of(BEFORE_THE_UPGRADE), NOW));
  }

  @Test
  void mappedArchiveNoRunVouchedFor_isRemoved() {
    assertEquals(
        Step.REMOVE_STALE, ClassDataArchive.next(false, true, true, Optional.empty(), NOW));
  }

  @Test
  void startNeitherWritingNorMappingIt_leavesItAlone() {
    assertEquals(
        Step.NONE,
        ClassDataArchive.next(false, false, false, Optional.of(BEFORE_THE_UPGRADE), NOW));
  }
}
