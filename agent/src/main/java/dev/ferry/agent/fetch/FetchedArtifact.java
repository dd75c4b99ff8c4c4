package dev.ferry.agent.fetch;

import dev.ferry.protocol.oci.Manifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model artifact in the local cache, verified.
 *
 * @param manifest the model manifest
 * @param files the cached file of each layer, by its {@code org.cncf.model.filepath}
 */
public record FetchedArtifact(Manifest manifest, Map<String, Path> files) {
  /** The ONNX model file. */
  public Path model() {
    return files.get("model.onnx");
  }

  /** The {@code serving.json} file. */
  public Path serving() {
    return files.get("serving.json");
  }

  /** The golden vectors file. */
  public Path golden() {
    return files.get("golden.json");
  }
}
