package dev.ferry.agent.store;

import dev.ferry.protocol.device.ModelAssignment;
import dev.ferry.protocol.release.ReleaseStatement;

/**
 * One model the accepted desired state assigns, with its verified release statement; kept in {@code
 * state.json} so that an install cut short by a crash or an outage resumes after a restart.
 *
 * @param assignment the assignment from the desired state
 * @param statement its verified release statement
 */
public record Target(ModelAssignment assignment, ReleaseStatement statement) {
  /** Checks that both are present. */
  public Target {
    if (assignment == null || statement == null) {
      throw new IllegalArgumentException("assignment and statement are required");
    }
  }

  /** The model name. */
  public String name() {
    return assignment.name();
  }

  /** The version its release statement names. */
  public String version() {
    return statement.predicate().version();
  }
}
