package dev.ferry.cli;

import dev.ferry.protocol.api.Release;
import dev.ferry.protocol.api.ReleaseRevocation;
import dev.ferry.protocol.api.RevokeRequest;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry release revoke MODEL VERSION --reason R [--key FILE]}: withdraw a release from the
 * fleet; with the hub's release key offline, {@code --key} signs the revocation list it prepared.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description =
        "Withdraw a release: devices serving it fall back to their previous version and never"
            + " install it again; rollouts of it are refused.")
final class ReleaseRevoke implements Callable<Integer> {
  private static final String LIST = "/api/v1/trust/revocations";
  private static final String PENDING = LIST + "/pending";

  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Mixin ReleaseRef ref;

  @Option(names = "--reason", required = true, description = "Why, for operators and devices.")
  String reason;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "The release key, for a hub whose release key is offline: signs the revocation list"
              + " the hub prepared, unchanged, and hands it back.")
  Path key;

  @Override
  public Integer call() {
    HubClient client = options.client();
    String path = ref.path("/revoke");
    Answer release = client.post(path, new RevokeRequest(reason));
    if (key != null) {
      signList(client);
    }
    return options.print(spec, release, ReleaseRevoke::table);
  }

  /** Signs the list waiting for the release key and hands it to the hub. */
  private void signList(HubClient client) {
    ReleasePayload list =
        ReleasePayload.of(client.bytes(PENDING), "the hub's pending revocation list");
    if (!list.payloadType().equals(PayloadTypes.REVOCATIONS)) {
      throw new TrustException("the hub's pending revocation list is " + list.what());
    }
    Signer signer = new Signer(KeyDir.readReleaseKey(key, spec.commandLine().getErr()));
    client.put(LIST, list.sign(signer));
    spec.commandLine()
        .getErr()
        .printf("%s signed by release key %s%n", list.what(), signer.keyId());
    spec.commandLine().getErr().flush();
  }

  private static Table table(Answer answer) {
    Release release = answer.as(Release.class);
    ReleaseRevocation revoked = release.revoked();
    return new Table("NAME", "VERSION", "REVOKED", "BY", "REASON")
        .row(
            release.name(),
            release.version(),
            revoked == null ? "-" : revoked.revokedAt(),
            revoked == null ? "-" : revoked.revokedBy(),
            revoked == null ? "-" : revoked.reason());
  }
}
