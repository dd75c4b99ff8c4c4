package dev.ferry.protocol.testing;

import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.registry.RegistryClient;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * ModelPack artifacts pushed to a registry the way the hub lays them out: a config, then the {@code
 * model.onnx}, {@code serving.json} and {@code golden.json} layers, each annotated with its file
 * path. The one place tests build such a manifest.
 */
public final class ModelPacks {
  private static final byte[] EMPTY_CONFIG = {'{', '}'};

  private ModelPacks() {}

  /**
   * A layer's descriptor, annotated with the file it holds.
   *
   * @param mediaType the layer's media type
   * @param digest its digest
   * @param size its size in bytes
   * @param path the file path it unpacks to
   * @return the descriptor
   */
  public static Descriptor layer(String mediaType, Digest digest, long size, String path) {
    return Descriptor.of(mediaType, digest, size).withAnnotation(Annotations.MODEL_FILEPATH, path);
  }

  /**
   * Pushes bytes as a layer.
   *
   * @param client pushes to the registry
   * @param repository the repository
   * @param mediaType the layer's media type
   * @param bytes its content
   * @param path the file path it unpacks to
   * @return its descriptor
   */
  public static Descriptor pushLayer(
      RegistryClient client, String repository, String mediaType, byte[] bytes, String path)
      throws IOException {
    return layer(mediaType, client.pushBlob(repository, bytes), bytes.length, path);
  }

  /**
   * Pushes the config, {@code serving.json} and {@code golden.json} beside an already pushed model
   * layer, and returns the manifest that lists them (not yet pushed itself).
   *
   * @param client pushes to the registry
   * @param repository the repository
   * @param model the {@code model.onnx} layer, already in the repository
   * @param config the config blob
   * @param serving the {@code serving.json} bytes
   * @param golden the {@code golden.json} bytes
   * @param annotations the manifest's annotations
   * @return the manifest
   */
  public static Manifest pushParts(
      RegistryClient client,
      String repository,
      Descriptor model,
      byte[] config,
      byte[] serving,
      byte[] golden,
      Map<String, String> annotations)
      throws IOException {
    return Manifest.of(
        MediaTypes.MODEL_ARTIFACT,
        Descriptor.of(MediaTypes.MODEL_CONFIG, client.pushBlob(repository, config), config.length),
        List.of(
            model,
            pushLayer(
                client, repository, MediaTypes.MODEL_WEIGHT_CONFIG_RAW, serving, "serving.json"),
            pushLayer(client, repository, MediaTypes.MODEL_DATASET_RAW, golden, "golden.json")),
        null,
        annotations);
  }

  /**
   * Pushes a whole artifact's blobs, {@code model.onnx} given as bytes, with an empty JSON config
   * and no annotations.
   *
   * @param client pushes to the registry
   * @param repository the repository
   * @param model the {@code model.onnx} bytes
   * @param serving the {@code serving.json} bytes
   * @param golden the {@code golden.json} bytes
   * @return the manifest (not yet pushed itself)
   */
  public static Manifest pushParts(
      RegistryClient client, String repository, byte[] model, byte[] serving, byte[] golden)
      throws IOException {
    Descriptor modelLayer =
        pushLayer(client, repository, MediaTypes.MODEL_WEIGHT_RAW, model, "model.onnx");
    return pushParts(client, repository, modelLayer, EMPTY_CONFIG, serving, golden, Map.of());
  }
}
