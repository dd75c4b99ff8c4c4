package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.Precision;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a version's session is built with: the device's preference, the providers usable here, the
 * device's own provider options and the precisions it prefers among a release's variants.
 *
 * @param preference the device's execution providers, best first ({@code
 *     ferry.agent.execution-providers})
 * @param usable the providers that initialise on this machine
 * @param settings the device's options for the GPU providers
 * @param precisions the precisions this device prefers, best first ({@code
 *     ferry.agent.precisions}); empty leaves the order to the release
 */
public record ProviderSetup(
    List<String> preference,
    UsableProviders usable,
    ProviderSettings settings,
    List<Precision> precisions) {
  /** Copies and checks the fields. */
  public ProviderSetup {
    preference = List.copyOf(preference);
    precisions = List.copyOf(precisions);
    Objects.requireNonNull(usable, "usable");
    Objects.requireNonNull(settings, "settings");
  }

  /** CPU preferred and usable, nothing else: for tests and tools. */
  public static ProviderSetup cpuOnly() {
    return new ProviderSetup(
        List.of(ExecutionProviders.CPU),
        UsableProviders.cpuOnly(),
        ProviderSettings.defaults(Path.of(System.getProperty("java.io.tmpdir"))),
        List.of());
  }
}
