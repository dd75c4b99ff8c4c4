package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed {@code ferry} command: {@code deploy/cli/install.sh PREFIX} puts the packaged jar
 * in {@code PREFIX/lib/ferry} and the launcher in {@code PREFIX/bin}, which runs it with the java
 * of {@code JAVA_HOME} or {@code PATH}.
 */
class FerryCommandIT {
  private static final Path ROOT = Path.of(System.getProperty("ferry.root"));
  private static final String VERSION = System.getProperty("ferry.cli.version");

  @TempDir Path prefix;
  @TempDir Path elsewhere;

  private record Run(int code, String out, String err) {}

  @BeforeEach
  void install() throws Exception {
    Run installed =
        run(Map.of(), ROOT.resolve("deploy/cli/install.sh").toString(), prefix.toString());
    assertEquals(0, installed.code(), installed.err());
    assertEquals(
        "installed " + prefix + "/bin/ferry (" + prefix + "/lib/ferry/ferry-cli.jar)\n",
        installed.out());
  }

  @Test
  void installedCommand_printsItsHelpAndVersion() throws Exception {
    Run help = ferry(Map.of(), "--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().startsWith("Usage: ferry [-hV] [COMMAND]\n"), help.out());
    for (String command : List.of("publish", "models", "rollout", "devices", "events")) {
      assertTrue(help.out().contains("\n  " + command + " "), command + " in " + help.out());
    }
    assertEquals(new Run(0, "ferry " + VERSION + "\n", ""), ferry(Map.of(), "--version"));
  }

  @Test
  void aLinkToTheCommand_findsTheJarBesideTheRealOne() throws Exception {
    Path link = Files.createSymbolicLink(elsewhere.resolve("ferry"), prefix.resolve("bin/ferry"));
    assertEquals(new Run(0, "ferry " + VERSION + "\n", ""), run(Map.of(), link.toString(), "-V"));
  }

  @Test
  void javaHome_isPreferredToPath() throws Exception {
    Path java = Files.createDirectories(elsewhere.resolve("jdk/bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"fake java $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Run run = ferry(Map.of("JAVA_HOME", elsewhere.resolve("jdk").toString()), "models");
    assertEquals(
        "fake java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "
            + prefix
            + "/lib/ferry/ferry-cli.jar models\n",
        run.out());
  }

  @Test
  void withoutJava_theLauncherSaysSoAndExits127() throws Exception {
    Path bin = Files.createDirectories(elsewhere.resolve("bin"));
    for (String tool : List.of("dirname", "readlink")) {
      Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool));
    }
    Run run = ferry(Map.of("PATH", bin.toString()), "--version");
    assertEquals(
        new Run(127, "", "ferry: no java found: set JAVA_HOME or put a Java 17+ runtime on PATH\n"),
        run);
  }

  @Test
  void installer_refusesMoreThanAPrefix() throws Exception {
    Run usage = run(Map.of(), ROOT.resolve("deploy/cli/install.sh").toString(), "a", "b");
    assertEquals(new Run(2, "", "usage: deploy/cli/install.sh [PREFIX]\n"), usage);
  }

  private Run ferry(Map<String, String> env, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = prefix.resolve("bin/ferry").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    return run(env, command);
  }

  private static Run run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("JAVA_HOME");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
    return new Run(process.exitValue(), out, err);
  }
}
