package dev.ferry.cli;

import dev.ferry.protocol.api.Release;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ferry release renew}: after a routine rotation of the release key, the hub signs the
 * statement of every published release again with its release key, so that devices take the desired
 * states that assign them.
 */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description =
        "After a routine rotation of the release key: sign the statement of every published"
            + " release again with the hub's release key (after a compromise, revoke the releases"
            + " you do not trust first). With the key offline: ferry release statement, sign and"
            + " attach, per release.")
final class ReleaseRenew implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Answer renewed = options.client().post("/api/v1/trust/statements/renew", null);
    return options.print(spec, renewed, ReleaseRenew::table);
  }

  private static Table table(Answer answer) {
    List<Release> releases = answer.listOf(Release.class);
    Table table = new Table("NAME", "VERSION", "RELEASE SEQ", "MANIFEST");
    for (Release release : releases) {
      table.row(release.name(), release.version(), release.releaseSeq(), release.manifestDigest());
    }
    return releases.isEmpty()
        ? table.note("every published release's statement verifies: nothing to sign again")
        : table.note("signed again; the desired states that assign them follow");
  }
}
