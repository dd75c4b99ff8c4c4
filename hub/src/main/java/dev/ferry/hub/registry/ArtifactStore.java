package dev.ferry.hub.registry;

import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import java.io.IOException;
import java.nio.file.Path;

/** Where the hub stores artifacts: its embedded registry or an external OCI registry. */
public interface ArtifactStore {
  /** The registry as agents reach it, {@code host[:port]}. */
  String registry();

  /**
   * The repository path of a model in this registry.
   *
   * @param model the model name
   * @return for example {@code models/ocr-det}
   */
  String repositoryOf(String model);

  /**
   * Stores a blob from a file whose digest is known.
   *
   * @param repository the repository
   * @param digest the file's digest
   * @param file the content
   * @throws IOException if storing fails
   */
  void putBlob(String repository, Digest digest, Path file) throws IOException;

  /**
   * Stores a small blob.
   *
   * @param repository the repository
   * @param bytes the content
   * @return its digest
   * @throws IOException if storing fails
   */
  Digest putBlob(String repository, byte[] bytes) throws IOException;

  /**
   * Stores a manifest.
   *
   * @param repository the repository
   * @param tag a tag, or null to store it by digest only
   * @param mediaType its media type
   * @param bytes the manifest bytes
   * @return its digest
   * @throws IOException if storing fails
   */
  Digest putManifest(String repository, String tag, String mediaType, byte[] bytes)
      throws IOException;

  /**
   * Stores a manifest that refers to another through its {@code subject}, findable through the
   * referrers API.
   *
   * @param repository the repository
   * @param referrer the manifest
   * @return its digest
   * @throws IOException if storing fails
   */
  Digest putReferrer(String repository, Manifest referrer) throws IOException;

  /**
   * Deletes a tagged manifest, and with it the blobs only it held where the store can tell (the
   * embedded registry; an external one frees them in its garbage collection). Deleting one already
   * gone is no error.
   *
   * @param repository the repository
   * @param tag its tag
   * @param digest its digest
   * @throws IOException if deleting fails
   */
  void deleteManifest(String repository, String tag, Digest digest) throws IOException;
}
