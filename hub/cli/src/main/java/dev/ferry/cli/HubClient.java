package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.protocol.api.ApiError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The hub's REST API over the JDK's HTTP client; failures become exit codes. */
final class HubClient {
  /** Writes request bodies: fields left null are left out, so the hub's defaults apply. */
  private static final ObjectMapper REQUESTS =
      Answer.JSON.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String hub;
  private final String token;

  HubClient(String hub, String token) {
    this.hub = hub;
    this.token = token;
  }

  Answer get(String path) {
    return send(request(path).GET());
  }

  Answer delete(String path) {
    return send(request(path).DELETE());
  }

  /** POSTs a body as JSON; {@code {}} when it is null. */
  Answer post(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  /** PUTs a body as JSON. */
  Answer put(String path, Object body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
  }

  /** GETs the exact bytes of an answer (a payload to sign), failures as {@link #send}. */
  byte[] bytes(String path) {
    return send(request(path).GET()).body().getBytes(StandardCharsets.UTF_8);
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hub + path)).timeout(Duration.ofMinutes(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  Answer send(HttpRequest.Builder request) {
    HttpResponse<String> response = exchange(request.build());
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(response.body());
    }
    throw new HubException(HubException.exitCode(status), status + " " + message(response.body()));
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new HubException(Ferry.UNAVAILABLE, "cannot reach the hub at " + hub);
    } catch (HttpTimeoutException e) {
      throw new HubException(Ferry.UNAVAILABLE, "the hub at " + hub + " did not answer in time");
    } catch (IOException e) {
      throw new HubException(Ferry.UNAVAILABLE, "talking to the hub at " + hub + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HubException(Ferry.UNAVAILABLE, "interrupted");
    }
  }

  /** The message of the hub's error body, or the start of whatever else came. */
  static String message(String body) {
    try {
      ApiError error = Answer.JSON.readValue(body, ApiError.class);
      if (error != null && error.message() != null) {
        return error.message();
      }
    } catch (JsonProcessingException e) {
      // not the hub's error shape
    }
    return body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }

  private static String json(Object body) {
    try {
      return body == null ? "{}" : REQUESTS.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }
}
