package dev.ferry.agent.capture;

import dev.ferry.agent.identity.DeviceCredential;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Uploads chunks to the hub's {@code POST /api/v1/devices/{id}/captures}, authenticated as the
 * device with HTTP Basic {@code <id>:<broker password>}, as certificate renewal does.
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
  public CaptureReceipt send(CaptureUpload upload) throws IOException, InterruptedException {
    String base = hub.toString().replaceAll("/+$", "");
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base + "/api/v1/devices/" + credential.deviceId() + "/captures"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Authorization", credential.basic())
            .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(upload)))
            .build();
    HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("the hub answered " + response.statusCode() + " to a capture upload");
    }
    return codec.decode(response.body(), CaptureReceipt.class);
  }
}
