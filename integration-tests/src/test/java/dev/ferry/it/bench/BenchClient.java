package dev.ferry.it.bench;

import dev.ferry.it.fleet.JarProcess;
import java.io.IOException;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * One serving benchmark caller's HTTP client: Apache HttpClient's classic blocking client on one
 * kept-alive connection, a request prepared once and sent again and again. It adds less per request
 * than the JDK's HttpClient (BENCHMARKS.md, B3, has the figures), so what B3 reports as added is
 * more the agent's and less the client's.
 */
final class BenchClient implements Load.Call {
  private static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final CloseableHttpClient http = HttpClients.createMinimal();
  private final HttpPost post;
  private final boolean binary;

  private BenchClient(HttpPost post, boolean binary) {
    this.post = post;
    this.binary = binary;
  }

  /** A caller sending a JSON infer request. */
  static BenchClient json(JarProcess agent, String model, String body) {
    HttpPost post = new HttpPost(agent.url() + "/v2/models/" + model + "/infer");
    post.setEntity(
        new ByteArrayEntity(
            body.getBytes(java.nio.charset.StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
    return new BenchClient(post, false);
  }

  /** A caller sending a request of the binary tensor data extension. */
  static BenchClient binary(JarProcess agent, String model, BenchModel.BinaryRequest request) {
    HttpPost post = new HttpPost(agent.url() + "/v2/models/" + model + "/infer");
    post.setHeader(HEADER_LENGTH, String.valueOf(request.headerLength()));
    post.setEntity(new ByteArrayEntity(request.body(), ContentType.APPLICATION_OCTET_STREAM));
    return new BenchClient(post, true);
  }

  /** Sends the request and reads the whole answer: whether it is a 200 of the kind asked for. */
  @Override
  public boolean call() throws IOException {
    try (CloseableHttpResponse response = http.execute(post)) {
      EntityUtils.consume(response.getEntity());
      return response.getStatusLine().getStatusCode() == 200
          && (!binary || response.getFirstHeader(HEADER_LENGTH) != null);
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
