package dev.ferry.hub.capture;

import dev.ferry.hub.registry.ArtifactStore;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pushes a dataset to the registry as an OCI artifact in the ModelPack manner: every file a layer
 * of the ModelPack dataset media type with its {@code org.cncf.model.filepath}, an empty config
 * (ModelPack's model config describes a model, not a dataset), the dataset's annotations, tagged
 * with its name in the model's capture repository.
 */
final class DatasetPush {
  /** The artifact type of a capture dataset. */
  static final String ARTIFACT_TYPE = "application/vnd.ferry.capture.dataset.v1+json";

  private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

  private final ArtifactStore store;
  private final JsonCodec codec = new JsonCodec();

  DatasetPush(ArtifactStore store) {
    this.store = store;
  }

  /** The repository of a model's capture datasets: the model's, with {@code /captures}. */
  String repositoryOf(String model) {
    return store.repositoryOf(model) + "/captures";
  }

  /**
   * Pushes a dataset.
   *
   * @param model the model
   * @param dataset the dataset
   * @return the manifest's digest
   * @throws IOException if the registry refuses
   */
  Digest push(String model, Dataset dataset) throws IOException {
    String repository = repositoryOf(model);
    List<Descriptor> layers = new ArrayList<>();
    for (Map.Entry<String, byte[]> file : dataset.files().entrySet()) {
      Digest digest = store.putBlob(repository, file.getValue());
      layers.add(
          Descriptor.of(MediaTypes.MODEL_DATASET_RAW, digest, file.getValue().length)
              .withAnnotation(Annotations.MODEL_FILEPATH, file.getKey()));
    }
    Digest config = store.putBlob(repository, EMPTY_CONFIG);
    Manifest manifest =
        Manifest.of(
            ARTIFACT_TYPE,
            Descriptor.of(MediaTypes.OCI_EMPTY, config, EMPTY_CONFIG.length),
            layers,
            null,
            dataset.annotations());
    return store.putManifest(
        repository, dataset.name(), MediaTypes.OCI_MANIFEST, codec.encode(manifest));
  }
}
