package dev.ferry.agent.sync;

import dev.ferry.agent.failure.Failure;
import dev.ferry.agent.failure.Reason;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.runtime.ProviderSetup;
import dev.ferry.agent.runtime.VersionRejectedException;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.InstalledModel;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.protocol.json.MalformedMessageException;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Makes the installed versions of the saved state serve again from the cache at start, models side
 * by side (each one's session built and proved on a thread of its own, up to a number of threads),
 * so that several models are ready in about the time of the slowest. Within a model the fallback
 * loads first, so that the active one serves after both. It needs only the cache and the runtime,
 * so the agent starts it before its trust, broker and reports are set up; the {@link Applier} then
 * withdraws what is revoked and reports the outcomes ({@link Applier#serveCache}) before anything
 * of it answers ({@link Models#restoring}).
 */
final class CacheRestore {
  private static final Logger LOG = Logger.getLogger(CacheRestore.class);

  /** A version's outcome: serving, or why not. */
  record Restored(InstalledVersion version, Optional<Failure> failure) {}

  private final CacheLoader loader;
  private final Models models;

  CacheRestore(CacheLoader loader, Models models) {
    this.loader = loader;
    this.models = models;
  }

  /** Restores from a content store, sessions built for the device's providers. */
  static CacheRestore of(ContentStore store, ProviderSetup providers, Models models) {
    return new CacheRestore(new CacheLoader(store, providers), models);
  }

  /** As many models load at once as the machine has processors. */
  static int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * Loads and installs every installed version of a saved state.
   *
   * @param threads at most this many models load at once
   * @return each version's outcome, in the models' order
   */
  List<Restored> load(AgentState saved, int threads) {
    return SideBySide.map(
            List.copyOf(saved.models().values()), threads, "ferry-restore", this::load)
        .stream()
        .flatMap(List::stream)
        .toList();
  }

  private List<Restored> load(InstalledModel model) {
    return Stream.of(model.fallback(), model.active())
        .filter(Objects::nonNull)
        .map(this::load)
        .toList();
  }

  private Restored load(InstalledVersion version) {
    try {
      models.install(version.name(), loader.load(version));
      return new Restored(version, Optional.empty());
    } catch (IOException
        | ServingSpecMismatchException
        | VersionRejectedException
        | MalformedMessageException e) {
      return new Restored(
          version, Optional.of(new Failure(Reason.CACHE, String.valueOf(e.getMessage()))));
    } catch (RuntimeException e) {
      LOG.errorf(e, "restoring %s %s failed on a defect", version.name(), version.version());
      return new Restored(version, Optional.of(new Failure(Reason.INTERNAL_ERROR, e.toString())));
    }
  }
}
