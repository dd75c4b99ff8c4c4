package dev.ferry.protocol.registry;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.DigestMismatchException;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Manifests as raw bytes: fetched and stored by reference, each checked against its digest. */
final class Manifests {
  private static final Pattern REFERENCE =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|sha256:[0-9a-f]{64}");

  /** A stored manifest: its digest, and whether the registry indexed its subject itself. */
  record Stored(Digest digest, boolean subjectIndexed) {}

  private final Transport transport;

  Manifests(Transport transport) {
    this.transport = transport;
  }

  /** See {@link RegistryClient#getManifest}. */
  RawManifest get(String repository, String reference) throws IOException {
    Fields.matching(reference, REFERENCE, "reference");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Transport.Response response = fetch(repository, reference, bytes);
    byte[] body = bytes.toByteArray();
    Digest actual = Digest.of(body);
    Digest expected = expected(reference, response).orElse(actual);
    if (!expected.equals(actual)) {
      throw new DigestMismatchException("manifest", expected, actual);
    }
    String mediaType = response.headers.firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
    return new RawManifest(mediaType, actual, body);
  }

  private Transport.Response fetch(String repository, String reference, ByteArrayOutputStream into)
      throws IOException {
    int max = JsonCodec.maxBytes(Manifest.class);
    String tooLarge = "manifest " + reference + " is larger than " + max + " bytes";
    Transport.Response response =
        transport.exchange(
            RegistryRequest.get(repository, transport.uri(repository, "/manifests/" + reference))
                .withHeader("Accept", MediaTypes.ACCEPT_MANIFESTS),
            transport.memory(into, max, tooLarge));
    response.requireSuccess("GET manifest " + repository + ":" + reference, 200);
    return response;
  }

  /** The digest a reference names, or else the one the registry vouches for. */
  private static Optional<Digest> expected(String reference, Transport.Response response) {
    if (reference.startsWith("sha256:")) {
      return Optional.of(Digest.parse(reference));
    }
    return response
        .headers
        .firstValue("Docker-Content-Digest")
        .filter(d -> d.startsWith("sha256:"))
        .map(Digest::parse);
  }

  /** Stores a manifest exactly as given, under a tag or, for a null reference, its digest. */
  Stored store(String repository, String reference, String mediaType, byte[] bytes)
      throws IOException {
    Digest digest = Digest.of(bytes);
    String ref = reference == null ? digest.toString() : reference;
    Fields.matching(ref, REFERENCE, "reference");
    Transport.Response response =
        transport.exchange(
            RegistryRequest.put(
                repository, transport.uri(repository, "/manifests/" + ref), bytes, mediaType),
            transport.discard());
    response.requireSuccess("PUT manifest " + repository + ":" + ref, 201, 200);
    requireConfirmed(digest, response);
    return new Stored(digest, response.headers.firstValue("OCI-Subject").isPresent());
  }

  /** The registry, if it names the digest it stored, names this one. */
  private static void requireConfirmed(Digest digest, Transport.Response response)
      throws DigestMismatchException {
    Optional<String> confirmed = response.headers.firstValue("Docker-Content-Digest");
    if (confirmed.isPresent() && !confirmed.get().equals(digest.toString())) {
      throw new DigestMismatchException("stored manifest", digest, Digest.parse(confirmed.get()));
    }
  }
}
