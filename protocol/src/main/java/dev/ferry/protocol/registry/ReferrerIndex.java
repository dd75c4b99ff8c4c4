package dev.ferry.protocol.registry;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifests that refer to a subject: the referrers API, or where a registry lacks it, the
 * {@code sha256-<hex>} tag's index, kept up to date on push.
 */
final class ReferrerIndex {
  private final Transport transport;
  private final Manifests manifests;
  private final JsonCodec codec = new JsonCodec();

  ReferrerIndex(Transport transport, Manifests manifests) {
    this.transport = transport;
    this.manifests = manifests;
  }

  /** See {@link RegistryClient#referrers}. */
  List<Descriptor> list(String repository, Digest subject, String artifactType) throws IOException {
    return fetch(repository, subject, artifactType).manifests().stream()
        .filter(d -> artifactType == null || artifactType.equals(d.artifactType()))
        .toList();
  }

  /** The referrers API's index, or the tag's where the registry has no such API. */
  private Index fetch(String repository, Digest subject, String artifactType) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Transport.Response response =
        transport.exchange(
            RegistryRequest.get(repository, referrersUri(repository, subject, artifactType))
                .withHeader("Accept", MediaTypes.OCI_INDEX),
            transport.memory(
                bytes, JsonCodec.maxBytes(Index.class), "referrers index is too large"));
    if (response.status == 404) {
      return fallbackIndex(repository, subject);
    }
    response.requireSuccess("GET referrers of " + repository + "@" + subject, 200);
    return codec.decode(bytes.toByteArray(), Index.class);
  }

  private URI referrersUri(String repository, Digest subject, String artifactType) {
    String query =
        artifactType == null
            ? ""
            : "?artifactType=" + URLEncoder.encode(artifactType, StandardCharsets.UTF_8);
    return transport.uri(repository, "/referrers/" + subject + query);
  }

  private Index fallbackIndex(String repository, Digest subject) throws IOException {
    try {
      return codec.decode(manifests.get(repository, subject.referrersTag()).bytes(), Index.class);
    } catch (NotFoundException e) {
      return Index.of(List.of());
    }
  }

  /** See {@link RegistryClient#pushReferrer}. */
  Digest push(String repository, Manifest referrer) throws IOException {
    Descriptor subject = Fields.required(referrer.subject(), "subject");
    byte[] bytes = codec.encode(referrer);
    Manifests.Stored stored = manifests.store(repository, null, MediaTypes.OCI_MANIFEST, bytes);
    if (!stored.subjectIndexed()) {
      addToTagIndex(repository, subject.digest(), referrer, stored.digest(), bytes.length);
    }
    return stored.digest();
  }

  /** The tag index's entry for a referrer: its artifact type, else its config's media type. */
  private static Descriptor descriptor(Manifest referrer, Digest digest, long size) {
    String type =
        referrer.artifactType() != null ? referrer.artifactType() : referrer.config().mediaType();
    return new Descriptor(MediaTypes.OCI_MANIFEST, digest, size, referrer.annotations(), type);
  }

  private void addToTagIndex(
      String repository, Digest subject, Manifest referrer, Digest digest, long size)
      throws IOException {
    Index current = fallbackIndex(repository, subject);
    if (current.manifests().stream().anyMatch(d -> d.digest().equals(digest))) {
      return;
    }
    List<Descriptor> manifestList = new ArrayList<>(current.manifests());
    manifestList.add(descriptor(referrer, digest, size));
    manifests.store(
        repository,
        subject.referrersTag(),
        MediaTypes.OCI_INDEX,
        codec.encode(Index.of(manifestList)));
  }
}
