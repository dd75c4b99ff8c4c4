package dev.ferry.agent.store;

import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@code <data-dir>/state.json}, written atomically: a temporary file in the same directory,
 * written and synced, renamed over the old one, and the directory synced.
 */
public final class StateFile {
  private static final Logger LOG = Logger.getLogger(StateFile.class);

  private final Path file;
  private final JsonCodec codec = new JsonCodec();
  private final List<Consumer<AgentState>> watchers = new CopyOnWriteArrayList<>();

  /**
   * The state file of a data directory.
   *
   * @param dataDir the agent's data directory
   */
  public StateFile(Path dataDir) {
    this.file = dataDir.resolve("state.json");
  }

  /** The path of state.json. */
  public Path path() {
    return file;
  }

  /**
   * Reads the state; an absent file is an empty state, and a temporary file left by a crash is
   * discarded (the rename never happened, so state.json is the last complete state).
   *
   * @return the state
   * @throws CorruptStateException if state.json does not decode; a copy is kept as {@code
   *     state.json.corrupt}
   * @throws IOException if it cannot be read
   */
  public AgentState load() throws IOException {
    AtomicFiles.deleteLeftovers(file);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return AgentState.empty();
    }
    try {
      return codec.decode(bytes, AgentState.class);
    } catch (IllegalArgumentException e) {
      throw corrupt(e);
    }
  }

  /** Keeps a copy of the corrupt file and says how to recover. */
  private CorruptStateException corrupt(IllegalArgumentException e) throws IOException {
    Path copy = file.resolveSibling("state.json.corrupt");
    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
    return new CorruptStateException(
        file
            + " is corrupt ("
            + e.getMessage()
            + "); a copy is kept as "
            + copy
            + ". The agent does not start without its accepted sequences. To recover, restore"
            + " state.json from a backup, or delete it to start empty: the agent then accepts"
            + " any signed desired state that has not expired and fetches its models again",
        e);
  }

  /**
   * Writes the state atomically and durably.
   *
   * @param state the state
   * @throws IOException if it cannot be written; state.json then still holds the previous state
   */
  public synchronized void save(AgentState state) throws IOException {
    AtomicFiles.write(file, codec.encode(state));
    for (Consumer<AgentState> watcher : watchers) {
      try {
        watcher.accept(state);
      } catch (RuntimeException e) {
        LOG.warnf(e, "a watcher of %s failed on the saved state", file);
      }
    }
  }

  /**
   * Calls a watcher with every state saved from now on, once it is on disk, on the saving thread:
   * for what must follow the accepted state at once (capture's policies), not on the next poll.
   *
   * @param watcher called with each saved state; it must be quick and not throw
   */
  public void watch(Consumer<AgentState> watcher) {
    watchers.add(watcher);
  }
}
