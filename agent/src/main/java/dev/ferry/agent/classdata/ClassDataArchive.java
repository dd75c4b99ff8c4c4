package dev.ferry.agent.classdata;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.protocol.files.AtomicFiles;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The class-data archive the agent makes of its own run where no install step can make one: the
 * container images, whose JVM runs only on the device. Their entrypoint starts the JVM mapping
 * {@code <data-dir>/class-data/agent.jsa} when it is there, else writing {@code agent.jsa.new} when
 * the JVM exits ({@code -XX:ArchiveClassesAtExit}), which it moves into place once the JVM has
 * stopped cleanly; on JDK 25 and later the same with an AOT cache, {@code agent.aot} ({@code
 * -XX:AOTCache}, {@code -XX:AOTCacheOutput}). A writing agent that has served {@code
 * ferry.agent.class-archive.keep-after} vouches for that archive in {@code agent.jsa.key} ({@code
 * agent.aot.key}; what it is made for: {@link ArchiveKey}); a mapping agent keeps it only if the
 * key is there and matches and the JVM did map it, and removes it otherwise, for the next start to
 * write a new one. So the first run on a device, and the first two after an upgrade, make the
 * archive the next ones start from, and a run that failed early, an archive cut short, or one of
 * another JVM or build is never kept.
 */
@ApplicationScoped
public class ClassDataArchive {
  private static final Logger LOG = Logger.getLogger(ClassDataArchive.class);

  /**
   * Where the archive lives in the data directory: a dynamic archive ({@code agent.jsa}), or on JDK
   * 25 and later an AOT cache ({@code agent.aot}).
   */
  static final List<String> FILES = List.of("class-data/agent.jsa", "class-data/agent.aot");

  /** What a start does about the archive. */
  enum Step {
    /** Neither writing nor told to map this archive. */
    NONE,
    /** Writing it at exit, and served long enough: vouch for it. */
    VOUCH,
    /** Mapped, and made for this JVM and build. */
    KEEP,
    /** Told to map it, but the JVM could not: remove it. */
    REMOVE_UNMAPPED,
    /** Mapped, but made for another JVM or build, or by a run that failed early: remove it. */
    REMOVE_STALE
  }

  @Inject AgentConfig config;

  private ScheduledExecutorService timer;

  /** After the other start-up observers: the cached models are restored by then. */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent event) {
    Optional<Path> writingAtExit = HotSpot.writingAtExit();
    Optional<Path> toldToMap = HotSpot.told();
    Optional<Path> ours =
        FILES.stream()
            .map(file -> config.dataDir().resolve(file).toAbsolutePath().normalize())
            .filter(
                file ->
                    writingAtExit.filter(written(file)::equals).isPresent()
                        || toldToMap.filter(file::equals).isPresent())
            .findFirst();
    if (ours.isEmpty()) {
      return;
    }
    Path archive = ours.get();
    boolean writing = writingAtExit.filter(written(archive)::equals).isPresent();
    boolean told = toldToMap.filter(archive::equals).isPresent();
    if (writing) {
      directoryFor(archive);
    }
    if (config.classArchive().keepAfter().isNegative()) {
      throw new IllegalStateException(
          "ferry.agent.class-archive.keep-after: must not be negative, got "
              + config.classArchive().keepAfter());
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "ferry-class-archive");
              thread.setDaemon(true);
              return thread;
            });
    // a mapping start checks the archive after that while too: its start has the CPU first
    long after = config.classArchive().keepAfter().toMillis();
    timer.schedule(() -> tend(archive, writing, told), after, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /**
   * What to do about the archive.
   *
   * @param writing whether the JVM writes it when it exits
   * @param told whether the JVM was told to map it
   * @param mapped whether the JVM mapped it
   * @param made the key it was made for, if known
   * @param now this JVM's and build's key
   */
  static Step next(
      boolean writing, boolean told, boolean mapped, Optional<ArchiveKey> made, ArchiveKey now) {
    if (writing) {
      return Step.VOUCH;
    }
    if (!told) {
      return Step.NONE;
    }
    if (!mapped) {
      return Step.REMOVE_UNMAPPED;
    }
    return made.filter(now::equals).isPresent() ? Step.KEEP : Step.REMOVE_STALE;
  }

  private void tend(Path archive, boolean writing, boolean told) {
    try {
      ArchiveKey now = thisJvm();
      boolean mapped = told && HotSpot.mapped(archive);
      switch (next(writing, told, mapped, made(keyFile(archive)), now)) {
        case VOUCH -> {
          AtomicFiles.write(keyFile(archive), now.text().getBytes(UTF_8));
          LOG.infof(
              "class-data archive %s is written when the agent stops; the next start maps it",
              archive);
        }
        case KEEP -> LOG.infof("class-data archive %s matches this JVM and build", archive);
        case REMOVE_UNMAPPED ->
            remove(archive, "could not be mapped (cut short, or another JVM's)");
        case REMOVE_STALE ->
            remove(archive, "was made for another JVM or build, or by a short run");
        case NONE -> {}
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warnf(
          "class-data archive %s left as it was (the agent only starts slower without it): %s",
          archive, e.getMessage());
    }
  }

  /**
   * HotSpot writes the archive at exit but makes no directory for it (the entrypoint has removed
   * what an earlier run left).
   */
  private static void directoryFor(Path archive) {
    try {
      Files.createDirectories(archive.getParent());
    } catch (IOException e) {
      LOG.warnf(
          "class-data archive %s cannot be written (the agent only starts slower without it): %s",
          archive, e.getMessage());
    }
  }

  /** The key first: an archive without one is never kept. */
  private static void remove(Path archive, String why) throws IOException {
    Files.deleteIfExists(keyFile(archive));
    Files.deleteIfExists(archive);
    LOG.infof("class-data archive %s %s: removed, the next start writes one", archive, why);
  }

  private static Optional<ArchiveKey> made(Path keyFile) throws IOException {
    try {
      return Optional.of(new ArchiveKey(Files.readString(keyFile, UTF_8)));
    } catch (NoSuchFileException none) {
      return Optional.empty();
    }
  }

  private static ArchiveKey thisJvm() throws IOException {
    String classPath = System.getProperty("java.class.path");
    Path runner = Path.of(classPath.split(File.pathSeparator)[0]).toAbsolutePath();
    return ArchiveKey.of(
        System.getProperty("java.vm.version"),
        System.getProperty("java.home"),
        ManagementFactory.getRuntimeMXBean().getInputArguments(),
        runner.getParent());
  }

  /**
   * Where the JVM writes it as it exits, for the entrypoint to move into place after a clean stop.
   */
  static Path written(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".new");
  }

  private static Path keyFile(Path archive) {
    return archive.resolveSibling(archive.getFileName() + ".key");
  }
}
