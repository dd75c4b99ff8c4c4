package dev.ferry.agent.sync;

import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.ProviderSetup;
import dev.ferry.agent.runtime.VersionLoader;
import dev.ferry.agent.store.ContentStore;
import dev.ferry.agent.store.InstalledVersion;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Loads an installed version from the content store, each file checked against its digest: the
 * session is built and proved with the version's golden vectors off the request path.
 */
final class CacheLoader {
  private final ContentStore store;
  private final ProviderSetup providers;
  private final JsonCodec codec = new JsonCodec();

  CacheLoader(ContentStore store, ProviderSetup providers) {
    this.store = store;
    this.providers = providers;
  }

  /**
   * Loads and validates a version from the cache.
   *
   * @throws ServingSpecMismatchException if serving.json is for another model
   * @throws dev.ferry.agent.runtime.VersionRejectedException if the version must not serve
   * @throws dev.ferry.protocol.json.MalformedMessageException if serving.json or golden.json does
   *     not decode
   * @throws IOException if a file cannot be read, or a cached file was altered ({@link
   *     dev.ferry.protocol.oci.DigestMismatchException})
   */
  LoadedVersion load(InstalledVersion version) throws IOException, ServingSpecMismatchException {
    // golden.json is checked and decoded while ONNX Runtime builds the session: the two are
    // independent, and a large golden output (a recogniser's 265,000 numbers) takes as long
    CompletableFuture<GoldenVectors> golden = decodeAsync(version.files().get("golden.json"));
    try {
      Path model = store.verify(version.files().get("model.onnx"));
      ServingSpec spec = servingSpec(version);
      String variant = version.variant() == null ? null : version.variant().name();
      return VersionLoader.load(model, spec, () -> joined(golden), providers, variant);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      // never leave a read of the cache running behind this version's outcome
      golden.handle((vectors, failure) -> null).join();
    }
  }

  private ServingSpec servingSpec(InstalledVersion version)
      throws IOException, ServingSpecMismatchException {
    ServingSpec spec = read(version.files().get("serving.json"), ServingSpec.class);
    if (!spec.model().equals(version.name())) {
      throw new ServingSpecMismatchException(spec.model(), version.name());
    }
    return spec;
  }

  private CompletableFuture<GoldenVectors> decodeAsync(Digest file) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return read(file, GoldenVectors.class);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private <T> T read(Digest digest, Class<T> type) throws IOException {
    try (InputStream in = Files.newInputStream(store.verify(digest))) {
      return codec.decode(in, type);
    }
  }
}
