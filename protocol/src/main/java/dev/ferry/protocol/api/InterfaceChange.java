package dev.ferry.protocol.api;

import java.util.List;

/**
 * What a {@link Rollout} changes for the local clients of some of its devices: they are assigned
 * another release of the model now, whose inputs or outputs the rolled-out release does not keep (a
 * rollout from one major version line to the next, say). Reported when the rollout is made.
 *
 * @param from the release those devices were assigned when the rollout was made
 * @param devices how many of the rollout's devices that was
 * @param changes each change that breaks a client of {@code from}, as publishing names them ({@code
 *     output 'y' is gone})
 */
public record InterfaceChange(String from, int devices, List<String> changes) {
  /** Copies the changes. */
  public InterfaceChange {
    changes = changes == null ? null : List.copyOf(changes);
  }
}
