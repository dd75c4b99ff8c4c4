package dev.ferry.cli;

import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ferry trust init}: the key ceremony's first step, root version 1 and its keys. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Create N root keys, a release key and a hub key (files 0600, <role>-<key id>.pem) and root"
          + " version 1 (root-1.json) signed by all root keys, of which M must sign each rotation.",
      "Run it offline; move each root key to its own holder afterwards."
    })
final class TrustInit implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--keys", paramLabel = "N", defaultValue = "1", description = "Root keys.")
  int keys;

  @Option(
      names = "--threshold",
      paramLabel = "M",
      defaultValue = "1",
      description = "Root keys that must sign a rotation.")
  int threshold;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "A new directory.")
  Path out;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "P365D",
      description = "How long root version 1 is valid (ISO-8601, default P365D).")
  Duration expires;

  @Override
  public Integer call() throws IOException {
    check();
    KeyDir dir = new KeyDir(out);
    List<KeyPair> roots = IntStream.range(0, keys).mapToObj(i -> dir.generate(Role.ROOT)).toList();
    KeyPair release = dir.generate(Role.RELEASE);
    KeyPair hub = dir.generate(Role.HUB);
    TrustRoot root =
        TrustRoot.initial(
            TrustCommand.clock.instant().plus(expires),
            Map.of(
                Role.ROOT, roots.stream().map(KeyPair::getPublic).toList(),
                Role.RELEASE, List.of(release.getPublic()),
                Role.HUB, List.of(hub.getPublic())),
            threshold);
    Envelope signed = TrustCommand.sign(root, roots);
    KeyDir.write(out.resolve("root-1.json"), signed);
    TrustShow.print(spec.commandLine().getOut(), root, out.resolve("root-1.json"));
    return 0;
  }

  private void check() throws IOException {
    if (keys < 1 || threshold < 1 || threshold > keys) {
      throw new ParameterException(
          spec.commandLine(),
          "--threshold must be between 1 and --keys (" + keys + "), got " + threshold);
    }
    if (Files.isDirectory(out)) {
      try (Stream<Path> files = Files.list(out)) {
        if (files.findAny().isPresent()) {
          throw new ParameterException(
              spec.commandLine(), "--out " + out + " is not empty; give a new directory");
        }
      }
    }
  }
}
