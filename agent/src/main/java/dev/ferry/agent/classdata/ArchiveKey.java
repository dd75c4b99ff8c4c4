package dev.ferry.agent.classdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * What a class-data archive was made for: the JVM (its build and home), the JVM options that shape
 * an archive ({@code -X…}), and the application's packaged files (each name, size and time, and the
 * bytes of the agent's own jar and Quarkus's code for it; not what else lies beside them). A JVM
 * that maps an archive of another application build loads only the classes whose bytes still match,
 * so an archive whose key differs is made again.
 *
 * @param text the key, one fact per line
 */
public record ArchiveKey(String text) {
  /**
   * The agent's own jar and the code Quarkus generated for it, a few MB, hashed whole: a rebuild
   * may keep their sizes, and an image keeps every file's time.
   */
  private static final List<String> HASHED = List.of("app", "quarkus");

  /** Options about the archive itself, or logging. */
  private static final List<String> ARCHIVE_OPTIONS =
      List.of(
          "SharedArchiveFile",
          "Xshare",
          "RecordDynamicDumpInfo",
          "ArchiveClassesAtExit",
          "AutoCreateSharedArchive",
          "AOTCache", // and AOTCacheOutput
          "AOTMode",
          "AOTConfiguration",
          "Xlog");

  /** What Quarkus packages: the runner, its libraries, the agent's jars, its own index. */
  private static final List<String> PACKAGED = List.of("quarkus-run.jar", "lib", "app", "quarkus");

  /**
   * The key of this JVM running the application in {@code appDir}.
   *
   * @param vmVersion {@code java.vm.version}
   * @param javaHome {@code java.home}
   * @param jvmOptions the JVM's input arguments; {@code -X…} options count, but not those about the
   *     archive itself ({@code -Xshare}, {@code -XX:SharedArchiveFile}, …) or logging
   * @param appDir the packaged application ({@code quarkus-run.jar}'s directory)
   * @return the key
   * @throws IOException if the application's files cannot be read
   */
  public static ArchiveKey of(
      String vmVersion, String javaHome, List<String> jvmOptions, Path appDir) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("vm " + vmVersion);
    lines.add("home " + javaHome);
    jvmOptions.stream()
        .filter(ArchiveKey::shapesTheArchive)
        .map(o -> "option " + o)
        .forEach(lines::add);
    for (Path file : files(appDir)) {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      String name = appDir.relativize(file).toString();
      String line =
          "file " + name + " " + attributes.size() + " " + attributes.lastModifiedTime().toMillis();
      boolean hashed = HASHED.stream().anyMatch(dir -> name.startsWith(dir + "/"));
      lines.add(hashed ? line + " crc32 " + crc32(file) : line);
    }
    return new ArchiveKey(String.join("\n", lines) + "\n");
  }

  /**
   * A {@code -X…} option, but not those that only say how this start treats the archive (the
   * recording start and the mapping ones differ in them) or what it logs.
   */
  private static boolean shapesTheArchive(String option) {
    return option.startsWith("-X")
        && ARCHIVE_OPTIONS.stream().noneMatch(name -> option.substring(1).contains(name));
  }

  /** The packaged files only: a data directory beside them changes as the agent runs. */
  private static List<Path> files(Path appDir) throws IOException {
    List<Path> files = new ArrayList<>();
    for (String packaged : PACKAGED) {
      Path path = appDir.resolve(packaged);
      if (!Files.exists(path)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return files.stream().sorted().toList();
  }

  private static String crc32(Path file) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        crc.update(buffer, 0, n);
      }
    }
    return Long.toHexString(crc.getValue());
  }
}
