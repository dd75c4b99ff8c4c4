package dev.ferry.agent.capture;

import dev.ferry.agent.identity.DeviceCredential;
import dev.ferry.agent.identity.HubErrors;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.json.Schema;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Uploads chunks to the hub's {@code POST /api/v1/devices/{id}/captures}, authenticated as the
 * device with HTTP Basic {@code <id>:<broker password>}, as certificate renewal does. A 4xx is a
 * refusal of the samples, except 401 (the credential, not the samples), 408 and 429, which like a
 * 5xx or a lost connection mean "later".
 */
final class HubCaptureLink implements CaptureUploader.Link {
  private static final byte[] UPLOAD_START =
      ("{\"schema\":\""
              + CaptureUpload.class.getAnnotation(Schema.class).value()
              + "\",\"samples\":[")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] UPLOAD_END = "]}".getBytes(StandardCharsets.UTF_8);

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
  public CaptureReceipt send(List<SpooledSample> chunk)
      throws IOException, CaptureRefusedException {
    HttpResponse<byte[]> response = exchange(request(body(chunk)));
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

  /**
   * The {@link CaptureUpload} of the samples, written from their spooled JSON as it is: what {@link
   * JsonCodec#encode} writes for an upload of them, without decoding and re-encoding the tensors.
   */
  static byte[] body(List<SpooledSample> chunk) {
    int size = UPLOAD_START.length + UPLOAD_END.length + chunk.size() - 1;
    for (SpooledSample sample : chunk) {
      size += sample.json().length;
    }
    ByteBuffer body = ByteBuffer.allocate(size).put(UPLOAD_START);
    for (int i = 0; i < chunk.size(); i++) {
      if (i > 0) {
        body.put((byte) ',');
      }
      body.put(chunk.get(i).json());
    }
    return body.put(UPLOAD_END).array();
  }

  private HttpRequest request(byte[] body) {
    String base = hub.toString().replaceAll("/+$", "");
    return HttpRequest.newBuilder(
            URI.create(base + "/api/v1/devices/" + credential.deviceId() + "/captures"))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .header("Authorization", credential.basic())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
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
