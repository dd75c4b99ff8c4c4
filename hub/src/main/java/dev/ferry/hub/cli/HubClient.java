package dev.ferry.hub.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The hub's REST API over the JDK's HTTP client; failures become exit codes. */
final class HubClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String hub;
  private final String token;

  /** A failed call, with the exit code it maps to. */
  static final class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    HubException(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }
  }

  HubClient(String hub, String token) {
    this.hub = hub;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, JsonNode body) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body.toString())));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(hub + path)).timeout(Duration.ofMinutes(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request;
  }

  JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body().isEmpty() ? JSON.nullNode() : parse(response.body());
    }
    throw new HubException(exitCode(status), status + " " + message(response.body()));
  }

  private static int exitCode(int status) {
    return switch (status) {
      case 401, 403 -> Ferry.UNAUTHORIZED;
      case 404 -> Ferry.NOT_FOUND;
      case 409 -> Ferry.CONFLICT;
      default -> status >= 500 ? Ferry.UNAVAILABLE : Ferry.REFUSED;
    };
  }

  private static String message(String body) {
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.hasNonNull("message")) {
        return error.get("message").asText();
      }
    } catch (IOException e) {
      // not the hub's error shape
    }
    return body.length() > 200 ? body.substring(0, 200) + "…" : body;
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
