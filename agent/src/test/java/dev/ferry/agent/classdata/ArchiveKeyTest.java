package dev.ferry.agent.classdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveKeyTest {
  private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xmx512m");
  private static final FileTime IMAGE_TIME = FileTime.fromMillis(1000);

  @TempDir Path app;

  @BeforeEach
  void packagedApp() throws Exception {
    // as Jib lays an image out: every file at the same time
    write("quarkus-run.jar", "runner");
    write("lib/main/dep.jar", "dependency");
    write("app/ferry-agent.jar", "agent classes v1");
  }

  @Test
  void sameJvmAndBuild_sameKey() throws Exception {
    assertEquals(key(OPTIONS), key(OPTIONS));
  }

  @Test
  void ownJarRebuiltToTheSameSizeAndTime_changesTheKey() throws Exception {
    ArchiveKey before = key(OPTIONS);
    write("app/ferry-agent.jar", "agent classes v2");
    assertNotEquals(before, key(OPTIONS));
  }

  @Test
  void dependencyOfAnotherSize_changesTheKey() throws Exception {
    ArchiveKey before = key(OPTIONS);
    write("lib/main/dep.jar", "dependency 2");
    assertNotEquals(before, key(OPTIONS));
  }

  @Test
  void anotherJvmBuild_changesTheKey() throws Exception {
    assertNotEquals(
        ArchiveKey.of("17.0.15+6", "/opt/java", OPTIONS, app),
        ArchiveKey.of("17.0.16+8", "/opt/java", OPTIONS, app));
  }

  @Test
  void jvmOptions_countButSystemPropertiesDoNot() throws Exception {
    ArchiveKey lean = key(OPTIONS);
    assertNotEquals(lean, key(List.of("-XX:+UseG1GC", "-Xmx512m")));
    assertEquals(lean, key(List.of("-XX:+UseSerialGC", "-Dquarkus.http.port=8123", "-Xmx512m")));
  }

  @Test
  void recordingStartAndMappingStart_haveOneKey() throws Exception {
    assertEquals(
        key(List.of("-XX:+UseSerialGC", "-XX:+RecordDynamicDumpInfo", "-Xmx512m")),
        key(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:SharedArchiveFile=/data/class-data/agent.jsa",
                "-Xshare:auto",
                "-Xlog:cds=info",
                "-Xmx512m")));
  }

  @Test
  void writingAndMappingAnAotCache_haveOneKey() throws Exception {
    assertEquals(
        key(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:AOTCacheOutput=/data/class-data/agent.aot.new",
                "-Xlog:aot=error",
                "-Xmx512m")),
        key(
            List.of(
                "-XX:+UseSerialGC",
                "-XX:AOTCache=/data/class-data/agent.aot",
                "-Xshare:auto",
                "-Xmx512m")));
  }

  @Test
  void whatLiesBesideThePackagedFiles_isNotPartOfTheBuild() throws Exception {
    ArchiveKey before = key(OPTIONS);
    write("app-cds.jsa", "an archive");
    write("ferry-agent-data/state.json", "{}");
    assertEquals(before, key(OPTIONS));
    assertTrue(before.text().contains("file lib/main/dep.jar 10 1000\n"), before.text());
  }

  private ArchiveKey key(List<String> options) throws Exception {
    return ArchiveKey.of("17.0.15+6", "/opt/java", options, app);
  }

  private void write(String name, String content) throws Exception {
    Path file = app.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, IMAGE_TIME);
  }
}
