package dev.ferry.agent.classdata;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The running JVM's side of a class-data archive: whether it writes one when it exits ({@code
 * -XX:ArchiveClassesAtExit}, or on JDK 25 and later an AOT cache, {@code -XX:AOTCacheOutput}) or
 * was told to map one ({@code -XX:SharedArchiveFile}, {@code -XX:AOTCache}), and whether it did:
 * HotSpot maps an archive it can use and, with {@code -Xshare:auto}, starts without one it cannot
 * (another JVM's, a truncated one).
 */
final class HotSpot {
  private HotSpot() {}

  /** The archive this JVM writes when it exits. */
  static Optional<Path> writingAtExit() {
    return file("ArchiveClassesAtExit").or(() -> file("AOTCacheOutput"));
  }

  /**
   * The archive this JVM was told to map: the last file {@code -XX:SharedArchiveFile} names, or the
   * AOT cache.
   */
  static Optional<Path> told() {
    return option("SharedArchiveFile")
        .filter(files -> !files.isBlank())
        .map(files -> files.split(File.pathSeparator)) // base.jsa:top.jsa
        .map(named -> path(named[named.length - 1]))
        .or(() -> file("AOTCache"));
  }

  /** Whether this process has {@code archive} mapped ({@code /proc/self/maps}, Linux). */
  static boolean mapped(Path archive) throws IOException {
    String name = archive.toRealPath().toString(); // the kernel names the file, links resolved
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.anyMatch(line -> line.endsWith(" " + name));
    }
  }

  /** The file an option names, where this JVM has the option and it is set. */
  private static Optional<Path> file(String option) {
    return option(option).filter(file -> !file.isBlank()).map(HotSpot::path);
  }

  private static Path path(String file) {
    return Path.of(file).toAbsolutePath().normalize();
  }

  private static Optional<String> option(String name) {
    try {
      HotSpotDiagnosticMXBean vm =
          ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return vm == null ? Optional.empty() : Optional.ofNullable(vm.getVMOption(name).getValue());
    } catch (IllegalArgumentException notThisJvm) {
      return Optional.empty();
    }
  }
}
