package dev.ferry.hub.registry;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Index;
import dev.ferry.protocol.oci.MediaTypes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.PathPart;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The embedded registry's pull API (OCI distribution-spec v1.1) under {@code /v2/}, served from the
 * {@link BlobStore}; files are sent as file regions, never read into memory.
 *
 * <p>Only enrolled devices and API tokens may pull ({@link RegistryAccess}), unless {@code
 * ferry.hub.registry-auth} is false; either way what a device pulls is trusted only through the
 * signed release statement and desired state it received, whose digests it checks, never through
 * the registry. There is no push API: the hub writes through {@link BlobStore}.
 */
@Path("/v2")
public class RegistryResource {
  private static final Logger LOG = Logger.getLogger(RegistryResource.class);
  private static final JsonCodec CODEC = new JsonCodec();
  private static final String API_VERSION = "Docker-Distribution-API-Version";
  private static final String CONTENT_DIGEST = "Docker-Content-Digest";

  private final BlobStore store;

  RegistryResource(BlobStore store) {
    this.store = store;
  }

  @GET
  public Response base() {
    return json(Response.ok(), "{}".getBytes(StandardCharsets.UTF_8), MediaType.APPLICATION_JSON);
  }

  @GET
  @Path("{name:.+}/manifests/{reference}")
  public Response getManifest(String name, String reference) throws IOException {
    StoredManifest manifest = manifest(name, reference);
    return manifestHeaders(Response.ok(new PathPart(manifest.file(), 0, manifest.size())), manifest)
        .build();
  }

  @HEAD
  @Path("{name:.+}/manifests/{reference}")
  public Response headManifest(String name, String reference) throws IOException {
    StoredManifest manifest = manifest(name, reference);
    return manifestHeaders(Response.ok(), manifest)
        .header(HttpHeaders.CONTENT_LENGTH, manifest.size())
        .build();
  }

  @GET
  @Path("{name:.+}/blobs/{digest}")
  public Response getBlob(String name, String digest, @HeaderParam("Range") String range)
      throws IOException {
    String repository = repository(name);
    Digest parsed = digest(digest);
    java.nio.file.Path file = blob(repository, parsed);
    long size = Files.size(file);
    Optional<ByteRange> part = ByteRange.parse(range, size);
    if (part.isEmpty()) {
      return blobHeaders(Response.ok(new PathPart(file, 0, size)), parsed).build();
    }
    return blobHeaders(Response.status(206), parsed)
        .entity(new PathPart(file, part.get().first(), part.get().length()))
        .header("Content-Range", part.get().contentRange(size))
        .build();
  }

  @HEAD
  @Path("{name:.+}/blobs/{digest}")
  public Response headBlob(String name, String digest) throws IOException {
    String repository = repository(name);
    Digest parsed = digest(digest);
    long size = Files.size(blob(repository, parsed));
    return blobHeaders(Response.ok(), parsed).header(HttpHeaders.CONTENT_LENGTH, size).build();
  }

  /** Per the spec, an unknown subject (or repository) has an empty list, never a 404. */
  @GET
  @Path("{name:.+}/referrers/{digest}")
  public Response referrers(
      String name, String digest, @QueryParam("artifactType") String artifactType)
      throws IOException {
    String repository = repository(name);
    Digest subject = digest(digest);
    List<Descriptor> found =
        store.hasRepository(repository) ? store.referrers(repository, subject) : List.of();
    Response.ResponseBuilder response = Response.ok();
    if (artifactType != null) {
      found = found.stream().filter(d -> artifactType.equals(d.artifactType())).toList();
      response.header("OCI-Filters-Applied", "artifactType");
    }
    return json(response, CODEC.encode(Index.of(found)), MediaTypes.OCI_INDEX);
  }

  @GET
  @Path("{path:.+}")
  public Response unknown(String path) {
    throw new DistributionException(
        ErrorCode.NOT_FOUND, "no registry endpoint " + Fields.show("/v2/" + path), Map.of());
  }

  @HEAD
  @Path("{path:.+}")
  public Response headUnknown(String path) {
    return unknown(path);
  }

  @PUT
  @Path("{path:.*}")
  public Response put() {
    throw unsupported("PUT");
  }

  @POST
  @Path("{path:.*}")
  public Response post() {
    throw unsupported("POST");
  }

  @PATCH
  @Path("{path:.*}")
  public Response patch() {
    throw unsupported("PATCH");
  }

  @DELETE
  @Path("{path:.*}")
  public Response delete() {
    throw unsupported("DELETE");
  }

  @ServerExceptionMapper
  Response refused(DistributionException e) {
    return response(e);
  }

  /** The distribution-spec answer to a refused request. */
  static Response response(DistributionException e) {
    Response.ResponseBuilder response = Response.status(e.code.status);
    e.headers.forEach(response::header);
    byte[] body = CODEC.encode(ErrorBody.of(e.code, e.getMessage(), e.detail));
    return json(response, body, MediaType.APPLICATION_JSON);
  }

  /** A broken store (I/O error, a corrupt file) is the hub's fault: logged, never shown. */
  @ServerExceptionMapper({IOException.class, UncheckedIOException.class, RuntimeException.class})
  Response failed(Exception e) {
    if (e instanceof WebApplicationException framework) {
      return framework.getResponse();
    }
    LOG.error("registry request failed", e);
    return refused(
        new DistributionException(
            ErrorCode.UNKNOWN, "internal error of the hub's registry; see the hub log", Map.of()));
  }

  private StoredManifest manifest(String name, String reference) throws IOException {
    String repository = repository(name);
    if (reference.contains(":")) {
      digest(reference);
    } else if (!Names.isTag(reference)) {
      throw new DistributionException(
          ErrorCode.TAG_INVALID, Names.tagRule(reference), Map.of("reference", reference));
    }
    requireKnown(repository);
    return store
        .manifest(repository, reference)
        .orElseThrow(
            () ->
                new DistributionException(
                    ErrorCode.MANIFEST_UNKNOWN,
                    "repository '" + repository + "' has no manifest " + Fields.show(reference),
                    Map.of("name", repository, "reference", reference)));
  }

  private java.nio.file.Path blob(String repository, Digest digest) {
    requireKnown(repository);
    return store
        .blob(repository, digest)
        .orElseThrow(
            () ->
                new DistributionException(
                    ErrorCode.BLOB_UNKNOWN,
                    "repository '" + repository + "' has no blob " + digest,
                    Map.of("name", repository, "digest", digest.toString())));
  }

  private static String repository(String name) {
    if (!Names.isRepository(name)) {
      throw new DistributionException(
          ErrorCode.NAME_INVALID, Names.repositoryRule(name), Map.of("name", name));
    }
    return name;
  }

  private void requireKnown(String repository) {
    if (!store.hasRepository(repository)) {
      throw new DistributionException(
          ErrorCode.NAME_UNKNOWN, "no repository '" + repository + "'", Map.of("name", repository));
    }
  }

  private static Digest digest(String text) {
    try {
      return Digest.parse(text);
    } catch (IllegalArgumentException e) {
      throw new DistributionException(
          ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of("digest", text));
    }
  }

  private static DistributionException unsupported(String method) {
    return new DistributionException(
        ErrorCode.UNSUPPORTED,
        method + " is not supported: the hub's registry serves pulls only",
        Map.of(),
        Map.of(HttpHeaders.ALLOW, "GET, HEAD"));
  }

  private static Response.ResponseBuilder manifestHeaders(
      Response.ResponseBuilder response, StoredManifest manifest) {
    return response
        .type(manifest.mediaType())
        .header(CONTENT_DIGEST, manifest.digest().toString())
        .header(API_VERSION, "registry/2.0");
  }

  private static Response.ResponseBuilder blobHeaders(
      Response.ResponseBuilder response, Digest digest) {
    return response
        .type(MediaType.APPLICATION_OCTET_STREAM)
        .header(CONTENT_DIGEST, digest.toString())
        .header("Accept-Ranges", "bytes")
        .header(API_VERSION, "registry/2.0");
  }

  private static Response json(Response.ResponseBuilder response, byte[] body, String type) {
    return response.entity(body).type(type).header(API_VERSION, "registry/2.0").build();
  }
}
