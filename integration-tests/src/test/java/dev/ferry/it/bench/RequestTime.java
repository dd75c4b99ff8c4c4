package dev.ferry.it.bench;

import dev.ferry.it.fleet.JarProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The time a Quarkus process spent answering one route, all statuses, from its {@code /q/metrics}
 * ({@code http_server_requests_seconds}): what the server itself took, without the client's part.
 *
 * @param requests how many it answered
 * @param seconds the time it took for them
 */
record RequestTime(long requests, double seconds) {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /**
   * The totals so far of a route, named as its template ({@code /api/v1/devices/{id}/captures}).
   */
  static RequestTime of(JarProcess server, String uri) throws Exception {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    long requests = 0;
    double seconds = 0;
    String route = "uri=\"" + uri + "\"";
    for (String line : metrics.lines().toList()) {
      if (line.startsWith("http_server_requests_seconds_count{") && line.contains(route)) {
        requests += (long) value(line);
      } else if (line.startsWith("http_server_requests_seconds_sum{") && line.contains(route)) {
        seconds += value(line);
      }
    }
    return new RequestTime(requests, seconds);
  }

  /** What was added since an earlier reading. */
  RequestTime since(RequestTime before) {
    return new RequestTime(requests - before.requests, seconds - before.seconds);
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
