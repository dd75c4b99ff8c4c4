package dev.ferry.agent.identity;

import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.api.RenewRequest;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The hub's enrollment endpoints, {@code POST /api/v1/enroll} and {@code POST
 * /api/v1/devices/{id}/certificate}, over the JDK's HTTP client.
 */
public final class HubClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI hub;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final JsonCodec codec = new JsonCodec();

  /**
   * Creates the client.
   *
   * @param hub the hub's base URL, {@code ferry.agent.hub-url}
   */
  public HubClient(URI hub) {
    this.hub = hub;
  }

  /**
   * Asks to enroll, or asks again while PENDING.
   *
   * @param request the token, device id and CSR
   * @return the hub's answer
   * @throws IOException if the hub cannot be reached
   */
  public HubAnswer enroll(EnrollRequest request) throws IOException {
    return send(post("/api/v1/enroll", request).build());
  }

  /**
   * Asks for a new certificate with the current credential.
   *
   * @param credential the device id and its password
   * @param request the CSR
   * @return the hub's answer
   * @throws IOException if the hub cannot be reached
   */
  public HubAnswer renew(DeviceCredential credential, RenewRequest request) throws IOException {
    String path = "/api/v1/devices/" + credential.deviceId() + "/certificate";
    return send(post(path, request).header("Authorization", credential.basic()).build());
  }

  private HttpRequest.Builder post(String path, Object body) {
    String base = hub.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(body)));
  }

  private HubAnswer send(HttpRequest request) throws IOException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the hub", e);
    }
    return answer(response.statusCode(), response.body());
  }

  private HubAnswer answer(int status, byte[] body) {
    if (status == 202) {
      return new HubAnswer.Pending();
    }
    if (status == 200 || status == 201) {
      return issued(body);
    }
    return new HubAnswer.Refused(status, HubErrors.message(status, body));
  }

  private HubAnswer issued(byte[] body) {
    try {
      return new HubAnswer.Issued(codec.decode(body, DeviceCredentials.class));
    } catch (MalformedMessageException e) {
      return new HubAnswer.Refused(502, "the hub's credentials do not decode: " + e.getMessage());
    }
  }

  /** The {@code Authorization} value for a credential. */
  static String basic(String user, String password) {
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
