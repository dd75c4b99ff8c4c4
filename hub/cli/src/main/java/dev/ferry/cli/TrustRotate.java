package dev.ferry.cli;

import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.signing.UntrustedSignatureException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ferry trust rotate}: root N+1, with new keys where asked, signed by the root keys of N and
 * N+1 found in the key directory; refused unless both thresholds are met.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    description = {
      "Write root N+1: the current root with new root, release or hub keys (generated into --root"
          + " DIR), signed by the root keys of N and of N+1 found in DIR.",
      "Upload it with PUT /api/v1/trust/root (role trust-admin); devices follow on their own."
    })
final class TrustRotate implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--root", paramLabel = "DIR", required = true, description = "The key files.")
  Path dir;

  @Option(names = "--current", paramLabel = "FILE", required = true, description = "Root N.")
  Path current;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "Root N+1.")
  Path out;

  @Option(
      names = "--new-root-keys",
      paramLabel = "N",
      defaultValue = "0",
      description = "Replace the root keys by N new ones (0: keep them).")
  int newRootKeys;

  @Option(
      names = "--threshold",
      paramLabel = "M",
      description = "Root keys that must sign the next rotation (default: as now).")
  Integer threshold;

  @Option(names = "--new-release-key", description = "Replace the release key.")
  boolean newRelease;

  @Option(names = "--new-hub-key", description = "Replace the hub key.")
  boolean newHub;

  @Option(
      names = "--expires",
      paramLabel = "DURATION",
      defaultValue = "P365D",
      description = "How long root N+1 is valid (ISO-8601, default P365D).")
  Duration expires;

  @Override
  public Integer call() {
    TrustRoot was = TrustCommand.read(current);
    KeyDir keys = new KeyDir(dir);
    TrustRoot next = edited(was, keys).next(TrustCommand.clock.instant().plus(expires));
    Envelope signed = TrustCommand.sign(next, signers(was, next, keys.keys()));
    try {
      was.verifyNext(signed, TrustCommand.CODEC);
    } catch (UntrustedSignatureException e) {
      throw new TrustException(
          "root version "
              + next.version()
              + " cannot be signed with the keys in "
              + dir
              + ": "
              + e.getMessage());
    }
    KeyDir.write(out, signed);
    TrustShow.print(spec.commandLine().getOut(), next, out);
    return 0;
  }

  private TrustRoot edited(TrustRoot was, KeyDir keys) {
    TrustRoot next = was;
    int rootThreshold = threshold == null ? was.roles().get(Role.ROOT.id()).threshold() : threshold;
    if (newRootKeys > 0 || threshold != null) {
      List<PublicKey> rootKeys = rootKeys(was, keys);
      next = next.withRole(Role.ROOT, rootKeys, check(rootThreshold, rootKeys.size()));
    }
    if (newRelease) {
      next = next.withRole(Role.RELEASE, List.of(keys.generate(Role.RELEASE).getPublic()), 1);
    }
    if (newHub) {
      next = next.withRole(Role.HUB, List.of(keys.generate(Role.HUB).getPublic()), 1);
    }
    return next;
  }

  private List<PublicKey> rootKeys(TrustRoot was, KeyDir keys) {
    if (newRootKeys == 0) {
      List<String> ids = was.roles().get(Role.ROOT.id()).keyids();
      return ids.stream().map(id -> was.keys().get(id).key()).toList();
    }
    return IntStream.range(0, newRootKeys)
        .mapToObj(i -> keys.generate(Role.ROOT).getPublic())
        .toList();
  }

  private int check(int rootThreshold, int count) {
    if (rootThreshold < 1 || rootThreshold > count) {
      throw new ParameterException(
          spec.commandLine(),
          "--threshold must be between 1 and the number of root keys ("
              + count
              + "), got "
              + rootThreshold);
    }
    return rootThreshold;
  }

  /** Every key in the directory that is a root key of either version. */
  private static List<KeyPair> signers(TrustRoot was, TrustRoot next, Map<String, KeyPair> keys) {
    List<String> ids = new ArrayList<>(was.roles().get(Role.ROOT.id()).keyids());
    next.roles().get(Role.ROOT.id()).keyids().stream()
        .filter(id -> !ids.contains(id))
        .forEach(ids::add);
    return TrustCommand.only(keys, ids);
  }
}
