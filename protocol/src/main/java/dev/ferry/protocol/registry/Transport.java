package dev.ferry.protocol.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.json.Fields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * HTTP to one registry: the authentication retry, redirects (credentials only to the registry
 * itself), bounded bodies with an idle timeout, and distribution-spec error bodies in messages.
 */
final class Transport implements AutoCloseable {
  private static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final ObjectMapper ERRORS = new ObjectMapper();

  /** Chooses the body subscriber of a successful (2xx) response by its status. */
  interface BodyFactory {
    BoundedBody forStatus(int status);
  }

  /** A response whose body went to the caller's subscriber, or, for an error, is kept here. */
  final class Response {
    final int status;
    final HttpHeaders headers;
    final long bodyBytes;
    private final byte[] errorBody;

    private Response(int status, HttpHeaders headers, long bodyBytes, byte[] errorBody) {
      this.status = status;
      this.headers = headers;
      this.bodyBytes = bodyBytes;
      this.errorBody = errorBody;
    }

    void requireSuccess(String what, int... expected) throws RegistryException {
      for (int ok : expected) {
        if (status == ok) {
          return;
        }
      }
      String message = what + " at " + registry + ": " + status + " " + describeErrors(errorBody);
      throw status == 404 ? new NotFoundException(message) : new RegistryException(status, message);
    }
  }

  final String registry;
  private final boolean plainHttp;
  private final Duration requestTimeout;
  private final TransferLimits limits;
  final Authenticator auth;
  private final HttpClient http;
  private final ScheduledExecutorService timer;

  Transport(
      String registry,
      boolean plainHttp,
      Credentials credentials,
      Duration requestTimeout,
      TransferLimits limits) {
    this.registry = registry;
    this.plainHttp = plainHttp;
    this.requestTimeout = requestTimeout;
    this.limits = limits;
    this.auth = new Authenticator(registry, plainHttp, credentials);
    this.http = newHttp(requestTimeout);
    this.timer = Executors.newSingleThreadScheduledExecutor(Transport::timerThread);
  }

  /** HTTP/1.1; redirects followed by {@link #exchange}, which keeps credentials to the registry. */
  private static HttpClient newHttp(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  private static Thread timerThread(Runnable task) {
    Thread thread = new Thread(task, "ferry-registry-timer");
    thread.setDaemon(true);
    return thread;
  }

  /** {@code http[s]://registry/v2/<repository><path>}. */
  URI uri(String repository, String path) {
    checkRepository(repository);
    return URI.create(
        (plainHttp ? "http" : "https") + "://" + registry + "/v2/" + repository + path);
  }

  static void checkRepository(String repository) {
    Fields.matching(repository, REPOSITORY, "repository");
  }

  /**
   * Sends a request: answers one authentication challenge, follows redirects (not of a PUT), and
   * hands a 2xx body to {@code success}'s subscriber; an error body is kept in the response.
   */
  Response exchange(RegistryRequest request, BodyFactory success) throws IOException {
    boolean challenged = false;
    URI target = request.uri();
    for (int redirects = 0; ; ) {
      boolean toRegistry = registry.equals(target.getAuthority());
      ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
      HttpResponse<Long> response =
          send(httpRequest(request, target, toRegistry), bodies(success, errorBody));
      if (response.statusCode() == 401 && toRegistry && !challenged) {
        challenged = true;
        answer(request, response);
        continue;
      }
      Optional<String> location = redirect(request, response);
      if (location.isPresent() && redirects++ < MAX_REDIRECTS) {
        target = target.resolve(location.get());
        continue;
      }
      long bodyBytes = response.body() == null ? 0 : response.body();
      return new Response(
          response.statusCode(), response.headers(), bodyBytes, errorBody.toByteArray());
    }
  }

  /** A 2xx body to {@code success}'s subscriber; any other into {@code errorBody}, bounded. */
  private HttpResponse.BodyHandler<Long> bodies(
      BodyFactory success, ByteArrayOutputStream errorBody) {
    BodyFactory errors = memory(errorBody, MAX_ERROR_BODY, null);
    return info -> (info.statusCode() / 100 == 2 ? success : errors).forStatus(info.statusCode());
  }

  private void answer(RegistryRequest request, HttpResponse<Long> challenge) throws IOException {
    auth.answer(
        request.repository(),
        request.push(),
        challenge.headers().firstValue("WWW-Authenticate").orElse(""));
  }

  /** Where a redirect points; a PUT is never redirected. */
  private static Optional<String> redirect(RegistryRequest request, HttpResponse<Long> response) {
    if (response.statusCode() / 100 != 3 || request.method().equals("PUT")) {
      return Optional.empty();
    }
    return response.headers().firstValue("Location");
  }

  /** The request to {@code target}; credentials go to the registry itself only. */
  private HttpRequest httpRequest(RegistryRequest request, URI target, boolean toRegistry) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(target)
            .method(request.method(), request.body())
            .timeout(requestTimeout)
            .header("User-Agent", RegistryClient.USER_AGENT);
    request.headers().forEach(http::header);
    String authorization = auth.header(request.repository(), request.push());
    if (authorization != null && toRegistry) {
      http.header("Authorization", authorization);
    }
    return http.build();
  }

  private HttpResponse<Long> send(HttpRequest request, HttpResponse.BodyHandler<Long> handler)
      throws IOException {
    try {
      return http.sendAsync(request, handler).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(request.method() + " " + request.uri() + " interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RegistryException registryError) {
        throw registryError;
      }
      if (cause instanceof IOException && cause.getCause() instanceof RegistryException inner) {
        throw inner;
      }
      throw new RegistryException(
          request.method() + " " + request.uri() + " failed: " + cause, cause);
    }
  }

  /** A body into a sink, cut at {@code max} bytes: failing when {@code tooLarge} is set. */
  BoundedBody body(BoundedBody.Sink sink, long max, String tooLarge, LongConsumer progress) {
    return new BoundedBody(sink, max, tooLarge, progress, limits, timer);
  }

  /** Bodies into memory, at most {@code max} bytes. */
  BodyFactory memory(ByteArrayOutputStream out, long max, String tooLarge) {
    return status -> body(buffer -> Channels.newChannel(out).write(buffer), max, tooLarge, n -> {});
  }

  /** Bodies that are read and dropped. */
  BodyFactory discard() {
    return memory(new ByteArrayOutputStream(), MAX_ERROR_BODY, null);
  }

  private static String describeErrors(byte[] body) {
    String text = Fields.show(new String(body, StandardCharsets.UTF_8).strip());
    try {
      List<String> parts = new ArrayList<>();
      for (JsonNode error : ERRORS.readTree(body).path("errors")) {
        parts.add(error.path("code").asText() + " " + error.path("message").asText());
      }
      return parts.isEmpty() ? text : String.join("; ", parts);
    } catch (IOException | RuntimeException e) {
      return text;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
