package dev.ferry.agent.capture;

import dev.ferry.agent.identity.DeviceCredential;
import dev.ferry.agent.identity.HubErrors;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Uploads chunks to the hub's {@code POST /api/v1/devices/{id}/captures}, authenticated as the
 * device with HTTP Basic {@code <id>:<broker password>}, as certificate renewal does. A 4xx is a
 * refusal of the samples, except 401 (the credential, not the samples), 408 and 429, which like a
 * 5xx or a lost connection mean "later".
 */
final class HubCaptureLink implements CaptureUploader.Link {
  private final URI hub;
  private final DeviceCredential credential;
  private final HttpClient http;
  private final JsonCodec codec = new JsonCodec();

  HubCaptureLink(URI hub, DeviceCredential credential, HttpClient http) {
    this.hub = hub;
    this.credential = credential;
    this.http = http;
  }

  @Override
  public CaptureReceipt send(CaptureUpload upload) throws IOException, CaptureRefusedException {
    HttpResponse<byte[]> response = exchange(request(upload));
    int status = response.statusCode();
    if (status == 200) {
      return receipt(response.body());
    }
    String reason = HubErrors.message(status, response.body());
    if (refusal(status)) {
      throw new CaptureRefusedException(status, reason);
    }
    throw new UploadDeferredException(status, reason, retryAfter(response));
  }

  private HttpRequest request(CaptureUpload upload) {
    String base = hub.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(
            URI.create(base + "/api/v1/devices/" + credential.deviceId() + "/captures"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", credential.basic())
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(upload)))
        .build();
  }

  private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading captures", e);
    }
  }

  private CaptureReceipt receipt(byte[] body) throws IOException {
    try {
      return codec.decode(body, CaptureReceipt.class);
    } catch (MalformedMessageException e) {
      throw new IOException("the hub's capture receipt does not decode: " + e.getMessage(), e);
    }
  }

  static boolean refusal(int status) {
    return status >= 400 && status < 500 && status != 401 && status != 408 && status != 429;
  }

  /** The {@code Retry-After} in seconds; null when absent or an HTTP date. */
  private static Duration retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .filter(v -> v.strip().matches("\\d{1,9}"))
        .map(v -> Duration.ofSeconds(Long.parseLong(v.strip())))
        .orElse(null);
  }
}
