package dev.ferry.agent.sync;

import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The agent's durable state: read by anyone at any time, replaced only once it is on disk. */
final class SavedState {
  private final StateFile file;
  private volatile AgentState state;

  SavedState(StateFile file) {
    this.file = file;
  }

  /** Reads state.json. */
  AgentState load() throws IOException {
    state = file.load();
    return state;
  }

  /** Takes a state already read from this state's file. */
  void adopt(AgentState read) {
    state = read;
  }

  /** The state; null before {@link #load} or {@link #adopt}. */
  AgentState get() {
    return state;
  }

  /** The state once loaded; never waits. */
  Optional<AgentState> loaded() {
    return Optional.ofNullable(state);
  }

  /**
   * Writes the next state, then makes it the current one.
   *
   * @throws UncheckedIOException if it cannot be written; the state stays the previous one
   */
  void save(AgentState next) {
    try {
      file.save(next);
      state = next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file.path(), e);
    }
  }
}
