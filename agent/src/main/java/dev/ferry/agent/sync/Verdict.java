package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;

/**
 * What the applier does about one assigned model, as the {@link Reconciler} decided.
 *
 * @param action what to do
 * @param failure why, for {@link Action#RETRY} and {@link Action#FAIL_FOR_GOOD}; null otherwise
 */
record Verdict(Action action, Failure failure) {
  /** The applier's moves. */
  enum Action {
    /** Nothing to do: the version serves, or it failed for good already. */
    SKIP,
    /** Fetch, load and swap in the version, then record it as the active one. */
    INSTALL,
    /** The recorded active version does not serve (its cache was altered): load it again. */
    REPAIR,
    /** It could not be installed yet; try again later. */
    RETRY,
    /** Record the version as failed for good: it is not tried again until another is assigned. */
    FAIL_FOR_GOOD
  }

  static final Verdict SKIP = new Verdict(Action.SKIP, null);
  static final Verdict INSTALL = new Verdict(Action.INSTALL, null);
  static final Verdict REPAIR = new Verdict(Action.REPAIR, null);

  /** Checks that a failure comes with exactly the actions that need one. */
  Verdict {
    boolean needsFailure = action == Action.RETRY || action == Action.FAIL_FOR_GOOD;
    if (needsFailure != (failure != null)) {
      throw new IllegalArgumentException(
          "verdict " + action + (needsFailure ? " needs a failure" : " takes no failure"));
    }
  }

  static Verdict retry(Failure failure) {
    return new Verdict(Action.RETRY, failure);
  }

  static Verdict failForGood(Failure failure) {
    return new Verdict(Action.FAIL_FOR_GOOD, failure);
  }

  /** Whether the version is to be loaded. */
  boolean installs() {
    return action == Action.INSTALL || action == Action.REPAIR;
  }
}
