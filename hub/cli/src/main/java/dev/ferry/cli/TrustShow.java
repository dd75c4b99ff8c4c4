package dev.ferry.cli;

import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.RoleKeys;
import dev.ferry.protocol.signing.TrustRoot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry trust show}: what a signed root says, once its own root keys verify it. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Verify a signed root against its own root keys and print its roles and keys.")
final class TrustShow implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "A signed root (root-N.json).")
  Path file;

  @Override
  public Integer call() {
    print(spec.commandLine().getOut(), TrustCommand.read(file), file);
    return 0;
  }

  /** One line for the version and expiry, one per role. */
  static void print(PrintWriter out, TrustRoot root, Path file) {
    out.printf("%s: root version %d, expires %s%n", file, root.version(), root.expiresAt());
    for (Role role : Role.values()) {
      RoleKeys keys = root.roles().get(role.id());
      out.printf(
          "  %-8s %d of %d: %s%n",
          role.id(), keys.threshold(), keys.keyids().size(), String.join(" ", keys.keyids()));
    }
    out.flush();
  }
}
