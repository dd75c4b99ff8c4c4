package dev.ferry.agent.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.api.RenewRequest;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small in-test hub: {@code POST /api/v1/enroll} and {@code POST
 * /api/v1/devices/{id}/certificate}, answering with planned statuses and issuing real certificates
 * from a {@link TestCa}.
 */
final class FakeHub implements AutoCloseable {
  static final String PASSWORD = "fdp_test-password";

  /** A request the hub saw. */
  record Seen(String path, String authorization, byte[] body) {}

  final TestCa ca;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final Deque<Integer> plan = new ArrayDeque<>();
  Duration validity = Duration.ofDays(30);
  Instant notBefore = Instant.now().minusSeconds(60);
  private final HttpServer server;
  private final JsonCodec codec = new JsonCodec();

  FakeHub() throws Exception {
    ca = new TestCa("test device CA");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  HubClient client() {
    return new HubClient(url());
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getPath();
    seen.add(new Seen(path, exchange.getRequestHeaders().getFirst("Authorization"), body));
    int status = plan.isEmpty() ? (path.endsWith("/certificate") ? 200 : 201) : plan.poll();
    try {
      answer(exchange, status, path.endsWith("/certificate") ? renewal(body) : enrollment(body));
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private DeviceCredentials enrollment(byte[] body) throws Exception {
    EnrollRequest request = codec.decode(body, EnrollRequest.class);
    return issue(request.deviceId(), request.csr(), PASSWORD);
  }

  private DeviceCredentials renewal(byte[] body) throws Exception {
    RenewRequest request = codec.decode(body, RenewRequest.class);
    String cn = TestCa.parse(request.csr()).getSubject().toString().substring(3);
    return issue(cn, request.csr(), null);
  }

  private DeviceCredentials issue(String deviceId, String csr, String password) throws Exception {
    Instant notAfter = notBefore.plus(validity);
    var certificate = ca.issue(csr, notBefore, notAfter);
    return new DeviceCredentials(
        deviceId,
        "ACCEPTED",
        TestCa.pem(certificate),
        TestCa.pem(ca.certificate),
        password,
        notAfter);
  }

  private void answer(HttpExchange exchange, int status, DeviceCredentials issued)
      throws IOException {
    byte[] out;
    if (status == 202) {
      out =
          codec.encode(new DeviceCredentials(issued.deviceId(), "PENDING", null, null, null, null));
    } else if (status >= 400) {
      out = error(status).getBytes(StandardCharsets.UTF_8);
    } else {
      out = codec.encode(issued);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  static String error(int status) {
    return status == 401
        ? "{\"code\":\"UNAUTHORIZED\",\"message\":\"bad device credentials\",\"details\":{}}"
        : "{\"code\":\"FORBIDDEN\",\"message\":\"token: expired at 2026-01-01T00:00:00Z\",\"details\":{\"field\":\"token\"}}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
