package dev.ferry.it.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/** An Open Inference Protocol client for an agent process. */
public final class Oip {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String url;

  public Oip(JarProcess agent) {
    this.url = agent.url();
  }

  /** An infer request with one FP32 input {@code x} of shape [1, n], values 1, 2, 3, …. */
  public static String request(int n) {
    StringBuilder data = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      data.append(i == 1 ? "" : ",").append(i);
    }
    return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,"
        + n
        + "],\"datatype\":\"FP32\",\"data\":["
        + data
        + "]}]}";
  }

  public HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> infer(String model, String body) throws Exception {
    return post("/v2/models/" + model + "/infer", body);
  }

  /** The version that answers a request; fails unless the answer is a 200. */
  public String served(String model, String body) throws Exception {
    HttpResponse<String> response = infer(model, body);
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body()).get("model_version").asText();
  }

  /** Waits up to 60 s until a version answers. */
  public void awaitVersion(String model, String body, String version) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = infer(model, body);
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200
            && version.equals(JSON.readTree(response.body()).get("model_version").asText())) {
          return;
        }
      } catch (java.io.IOException notListening) {
        last = notListening.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("agent never served " + version + "; last answer " + last);
  }
}
