package dev.ferry.it.fleet;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A packaged Quarkus application (hub or agent) run as its own process. */
public final class JarProcess implements AutoCloseable {
  private final Process process;
  public final int port;

  private JarProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code <module>/target/quarkus-app/quarkus-run.jar} and waits until it has started
   * ({@code /q/health/started}: for the agent, its cached versions loaded; its HTTP server answers
   * before that, a model still loading with 503).
   *
   * @param module {@code hub} or {@code agent}
   * @param env environment variables (its configuration)
   * @param log where its output goes
   */
  public static JarProcess start(String module, Map<String, String> env, Path log)
      throws Exception {
    return start(module, env, log, freePort());
  }

  /** The same on a given HTTP port, for a restart where the last one listened. */
  private static final String CDS_ARCHIVE = "app-cds.jsa";

  public static JarProcess start(String module, Map<String, String> env, Path log, int port)
      throws Exception {
    return start(module, env, log, port, List.of());
  }

  /**
   * The same with more JVM options, run from the application's directory (where an AppCDS archive
   * expects the jar: {@code -XX:SharedArchiveFile=app-cds.jsa}).
   */
  public static JarProcess start(
      String module, Map<String, String> env, Path log, int port, List<String> jvmOptions)
      throws Exception {
    Path app = app(module);
    return start(java(app, jvmOptions), app, env, log, port, Duration.ofSeconds(60));
  }

  /**
   * The same on the CPUs of a list ({@code taskset -c}, as {@code 1} or {@code 0-1}), for a
   * benchmark that keeps the measured process off its load client's cores; an empty list pins
   * nothing.
   */
  public static JarProcess startOnCpus(
      String cpus, String module, Map<String, String> env, Path log) throws Exception {
    Path app = app(module);
    List<String> command = new ArrayList<>();
    if (!cpus.isEmpty()) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.addAll(java(app, List.of()));
    return start(command, app, env, log, freePort(), Duration.ofSeconds(60));
  }

  private static Path app(String module) {
    return Services.root().resolve(module + "/target/quarkus-app");
  }

  private static List<String> java(Path app, List<String> jvmOptions) {
    List<String> java = new ArrayList<>(List.of("java", "-Xmx512m"));
    if (Files.exists(app.resolve(CDS_ARCHIVE))) {
      // as the systemd unit starts the agent: a jar built with its archive starts slower without it
      java.addAll(List.of("-XX:SharedArchiveFile=" + CDS_ARCHIVE, "-Xshare:auto"));
    }
    java.addAll(jvmOptions);
    return java;
  }

  /**
   * Starts the {@code quarkus-run.jar} of an application directory with another JVM, for example an
   * arm64 one under qemu user-mode ({@code qemu-aarch64-static -L ROOTFS ROOTFS/…/java}).
   *
   * @param java the command that runs the JVM, and its options (a heap limit among them)
   * @param app the directory holding {@code quarkus-run.jar}
   * @param live how long it may take to have started
   */
  public static JarProcess start(
      List<String> java, Path app, Map<String, String> env, Path log, Duration live)
      throws Exception {
    return start(java, app, env, log, freePort(), live);
  }

  private static JarProcess start(
      List<String> java, Path app, Map<String, String> env, Path log, int port, Duration live)
      throws Exception {
    List<String> command = new ArrayList<>(java);
    command.addAll(List.of("-Dquarkus.http.port=" + port, "-jar", "quarkus-run.jar"));
    return startCommand(command, app, env, log, port, live);
  }

  /**
   * Starts a command that runs the application itself, its entrypoint script for example, and waits
   * until it listens on {@code port} (the command must set it) and has started.
   */
  public static JarProcess startCommand(
      List<String> command, Path dir, Map<String, String> env, Path log, int port, Duration live)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    JarProcess started = new JarProcess(builder.start(), port);
    try {
      started.awaitStarted(live);
    } catch (Exception | AssertionError e) {
      started.close();
      throw e;
    }
    return started;
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitStarted(Duration live) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + live.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("process exited with " + process.exitValue());
      }
      try {
        var response =
            http.send(
                HttpRequest.newBuilder(URI.create(url() + "/q/health/started")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException starting) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not started within " + live.toSeconds() + " s on port " + port);
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Its resident set size now, from {@code /proc}, in bytes. */
  public long rss() throws IOException {
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for process " + pid());
  }

  /** Whether the process still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  /** Kills it at once, as a power cut would (and what it started: an entrypoint's JVM). */
  public void kill() throws InterruptedException {
    List<ProcessHandle> started = process.descendants().toList();
    process.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
