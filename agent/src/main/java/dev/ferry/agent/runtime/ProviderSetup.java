package dev.ferry.agent.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a version's session is built with: the device's preference, the providers usable here and
 * the device's own provider options.
 *
 * @param preference the device's execution providers, best first ({@code
 *     ferry.agent.execution-providers})
 * @param usable the providers that initialise on this machine
 * @param settings the device's options for the GPU providers
 */
public record ProviderSetup(
    List<String> preference, UsableProviders usable, ProviderSettings settings) {
  /** Copies and checks the fields. */
  public ProviderSetup {
    preference = List.copyOf(preference);
    Objects.requireNonNull(usable, "usable");
    Objects.requireNonNull(settings, "settings");
  }

  /** CPU preferred and usable, nothing else: for tests and tools. */
  public static ProviderSetup cpuOnly() {
    return new ProviderSetup(
        List.of(ExecutionProviders.CPU),
        UsableProviders.cpuOnly(),
        ProviderSettings.defaults(Path.of(System.getProperty("java.io.tmpdir"))));
  }
}
