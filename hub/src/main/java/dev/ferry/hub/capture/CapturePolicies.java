package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.files.AtomicFiles;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.ModelNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The capture policy a release manager set per model version, on disk under {@code
 * <data-dir>/captures/policies/<model>/<version>.json}; none means capture is off. Desired states
 * signed from then on carry it to the devices serving that version.
 */
public final class CapturePolicies {
  private final Path root;
  private final JsonCodec codec = new JsonCodec();

  /**
   * @param root the policy folder
   */
  public CapturePolicies(Path root) {
    this.root = root;
  }

  /**
   * The policy of a model version.
   *
   * @param model the model
   * @param version the version
   * @return the policy, or empty when capture is off
   */
  public Optional<CapturePolicy> of(String model, String version) {
    Path file = file(model, version);
    try {
      return Files.exists(file)
          ? Optional.of(codec.decode(Files.readAllBytes(file), CapturePolicy.class))
          : Optional.empty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the capture policy " + file, e);
    }
  }

  /**
   * Sets a model version's policy.
   *
   * @param model the model
   * @param version the version
   * @param policy the policy
   */
  public void set(String model, String version, CapturePolicy policy) throws IOException {
    Path file = file(model, version);
    Files.createDirectories(file.getParent());
    AtomicFiles.write(file, codec.encode(policy));
  }

  /**
   * Switches capture off for a model version.
   *
   * @param model the model
   * @param version the version
   * @return whether a policy was set
   */
  public boolean clear(String model, String version) throws IOException {
    return Files.deleteIfExists(file(model, version));
  }

  private Path file(String model, String version) {
    ModelNames.requireName(model, "model");
    ModelNames.requireVersion(version, "version");
    return root.resolve(model).resolve(version + ".json");
  }
}
