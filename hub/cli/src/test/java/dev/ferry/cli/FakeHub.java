package dev.ferry.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** A hub that answers canned JSON per path and remembers the last request. */
final class FakeHub implements AutoCloseable {
  /** A request as the hub saw it. */
  record Request(
      String method, String uri, String authorization, String contentType, String body) {}

  private record Canned(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Canned> answers = new HashMap<>();
  private volatile Request last;

  FakeHub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers requests to a path (query excluded) with this status and JSON. */
  FakeHub answer(String path, int status, String json) {
    answers.put(path, new Canned(status, json));
    return this;
  }

  Request last() {
    return last;
  }

  private void handle(HttpExchange exchange) throws IOException {
    last =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    Canned canned = answers.getOrDefault(exchange.getRequestURI().getPath(), new Canned(404, "{}"));
    byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
