package dev.ferry.agent.capture;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small in-test hub at {@code POST /api/v1/devices/{id}/captures}: stores samples by id, refuses
 * a chunk holding a sample it was told to refuse, and answers planned statuses first.
 */
final class CaptureHub implements AutoCloseable {
  /** A planned answer: a status, a body and an optional {@code Retry-After}. */
  record Answer(int status, String body, String retryAfter) {}

  final Set<String> stored = ConcurrentHashMap.newKeySet();
  final Map<String, Answer> refuse = new ConcurrentHashMap<>();
  final Deque<Answer> plan = new ArrayDeque<>();
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private final JsonCodec codec = new JsonCodec();

  CaptureHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/devices/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static Answer error(int status, String code, String message) {
    String body = "{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"details\":{}}";
    return new Answer(status, body, null);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    CaptureUpload upload =
        codec.decode(exchange.getRequestBody().readAllBytes(), CaptureUpload.class);
    Answer planned = plan.poll();
    if (planned == null) {
      planned =
          upload.samples().stream()
              .map(s -> refuse.get(s.id()))
              .filter(a -> a != null)
              .findFirst()
              .orElse(null);
    }
    if (planned == null) {
      List<String> ids = upload.samples().stream().map(CaptureSample::id).toList();
      stored.addAll(ids);
      planned =
          new Answer(
              200, new String(codec.encode(new CaptureReceipt(ids)), StandardCharsets.UTF_8), null);
    }
    answer(exchange, planned);
  }

  private static void answer(HttpExchange exchange, Answer answer) throws IOException {
    byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (answer.retryAfter() != null) {
      exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
    }
    exchange.sendResponseHeaders(answer.status(), out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
