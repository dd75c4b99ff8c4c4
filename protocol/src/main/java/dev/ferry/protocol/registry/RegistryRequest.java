package dev.ferry.protocol.registry;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One request to a registry, as {@link Transport#exchange} sends it: the repository it acts on (for
 * its token), whether it pushes, and the HTTP method, URI, body and headers.
 *
 * @param repository the repository, whose pull or push token authorizes the request
 * @param push whether the request needs push rights
 * @param method the HTTP method
 * @param uri the URI, from {@link Transport#uri}
 * @param body the body
 * @param headers the headers beyond user agent and authorization
 */
record RegistryRequest(
    String repository,
    boolean push,
    String method,
    URI uri,
    HttpRequest.BodyPublisher body,
    Map<String, String> headers) {
  RegistryRequest {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /** A GET that pulls, without a body. */
  static RegistryRequest get(String repository, URI uri) {
    return new RegistryRequest(
        repository, false, "GET", uri, HttpRequest.BodyPublishers.noBody(), Map.of());
  }

  /** A HEAD that pulls. */
  static RegistryRequest head(String repository, URI uri) {
    return new RegistryRequest(
        repository, false, "HEAD", uri, HttpRequest.BodyPublishers.noBody(), Map.of());
  }

  /** A DELETE, with push rights (registries grant delete to whoever may push). */
  static RegistryRequest delete(String repository, URI uri) {
    return new RegistryRequest(
        repository, true, "DELETE", uri, HttpRequest.BodyPublishers.noBody(), Map.of());
  }

  /** A PUT of bytes of a media type, with push rights. */
  static RegistryRequest put(String repository, URI uri, byte[] bytes, String contentType) {
    return new RegistryRequest(
        repository,
        true,
        "PUT",
        uri,
        HttpRequest.BodyPublishers.ofByteArray(bytes),
        Map.of("Content-Type", contentType));
  }

  /** This request with one more header. */
  RegistryRequest withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new RegistryRequest(repository, push, method, uri, body, more);
  }
}
