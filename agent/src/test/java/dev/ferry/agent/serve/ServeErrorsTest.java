package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.identity.LogCapture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every error the agent answers has the OIP {@code {"error": …}} body and the right status. */
@QuarkusTest
class ServeErrorsTest {
  private static final long LIMIT = 16L << 20;
  private static final String ONE_INPUT =
      "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}";

  @Inject InferenceLimit limit;

  /** Sends only a request head and reads the answer: status line, headers and body. */
  private static Map<String, String> rawAnswer(String head) throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      return answer(socket);
    }
  }

  /** Reads an answer: status line, headers and body. */
  private static Map<String, String> answer(Socket socket) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    Map<String, String> answer = new HashMap<>();
    answer.put("status", reader.readLine());
    for (String line = reader.readLine(); !line.isEmpty(); line = reader.readLine()) {
      int colon = line.indexOf(':');
      answer.put(line.substring(0, colon).toLowerCase(), line.substring(colon + 1).trim());
    }
    char[] body = new char[Integer.parseInt(answer.get("content-length"))];
    assertEquals(body.length, reader.read(body, 0, body.length));
    answer.put("body", new String(body));
    return answer;
  }

  @Test
  void bodyDeclaredOverTheLimit_is413WithAnErrorBody() throws IOException {
    Map<String, String> answer =
        rawAnswer(
            "POST /v2/models/linear/infer HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 17000000\r\n\r\n");
    assertEquals("HTTP/1.1 413 Request Entity Too Large", answer.get("status"));
    assertEquals("application/json", answer.get("content-type"));
    assertEquals(
        "{\"error\":\"request body of 17000000 bytes is over the limit of "
            + LIMIT
            + " (quarkus.http.limits.max-body-size)\"}",
        answer.get("body"));
  }

  /**
   * A client that sends its whole body without waiting (no {@code Expect: 100-continue}, as Java's,
   * Python's and most others do) reads the 413 too: the agent reads what follows the refusal and
   * throws it away, rather than closing on unread bytes, which resets the connection and can take
   * the answer with it.
   */
  @Test
  void bodySentWholeOverTheLimit_stillGetsThe413() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] body = new byte[(int) LIMIT + (1 << 20)];
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> answer =
          client.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://localhost:" + RestAssured.port + "/v2/models/linear/infer"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(413, answer.statusCode(), "attempt " + i + ": " + answer.body());
      assertEquals(
          "{\"error\":\"request body of "
              + body.length
              + " bytes is over the limit of "
              + LIMIT
              + " (quarkus.http.limits.max-body-size)\"}",
          answer.body());
    }
  }

  /** A client that waits for {@code 100 Continue} before its body (curl, over 1 KiB) gets it. */
  @Test
  void expectContinue_isAnsweredBeforeTheBodyIsSent() throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout(10_000); // before: nothing came until the body was sent
      byte[] body = ONE_INPUT.getBytes(StandardCharsets.US_ASCII);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/unknown/infer HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      assertEquals("HTTP/1.1 100 Continue", reader.readLine());
      assertEquals("", reader.readLine());
      out.write(body);
      assertEquals("HTTP/1.1 404 Not Found", reader.readLine());
    }
  }

  /** An HTTP/2 client that resets its request mid-body has gone: nothing to answer or log. */
  @Test
  void http2RequestResetMidBody_isNoError() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LogCapture log = new LogCapture(Refusal.class);
        LogCapture router = new LogCapture(ServeErrors.class)) {
      io.vertx.core.http.HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false)
                  .setDefaultPort(RestAssured.port));
      for (int i = 0; i < 3; i++) {
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setURI("/v2/models/unknown/infer")
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Content-Length", "1000000"))
            .compose(request -> request.write(Buffer.buffer(new byte[1000])).map(request))
            .map(request -> request.reset())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      }
      given().contentType("application/json").body(ONE_INPUT).post("/v2/models/unknown/infer");
      assertEquals(List.of(), log.warnings);
      assertEquals(List.of(), router.warnings);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** A client that announced a body over the limit and sends nothing more is let go. */
  @Test
  void bodyOverTheLimitThatNeverComes_hasItsConnectionClosed() throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      socket.setSoTimeout((int) RefusedBody.MOST_MILLIS);
      socket
          .getOutputStream()
          .write(
              ("POST /v2/models/linear/infer HTTP/1.1\r\nHost: localhost\r\n"
                      + "Content-Type: application/json\r\nContent-Length: 17000000\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }
  }

  /** A refused body gives its inference permit back: more refusals than permits, then a request. */
  @Test
  void refusedBodies_giveTheirInferencePermitsBack() throws IOException {
    int permits = limit.permits().availablePermits();
    for (int i = 0; i <= permits; i++) {
      rawAnswer(
          "POST /v2/models/linear/infer HTTP/1.1\r\nHost: localhost\r\n"
              + "Content-Type: application/json\r\nContent-Length: 17000000\r\n\r\n");
      chunkedOverTheLimit();
    }
    given()
        .contentType("application/json")
        .body(ONE_INPUT)
        .post("/v2/models/unknown/infer")
        .then()
        .statusCode(404)
        .body("error", startsWith("unknown model 'unknown'"));
  }

  /** Over HTTP/2 only the refused request's stream ends: the connection goes on serving. */
  @Test
  void bodyOverTheLimitOverHttp2_endsItsStreamOnly() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      io.vertx.core.http.HttpClient client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false)
                  .setDefaultPort(RestAssured.port)
                  .setHttp2MaxPoolSize(1));
      RequestOptions infer =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setURI("/v2/models/linear/infer")
              .putHeader("Content-Type", "application/json");
      HttpClientResponse refused =
          client
              .request(infer)
              .compose(request -> request.send(Buffer.buffer(new byte[(int) LIMIT + 1])))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertEquals(413, refused.statusCode());
      assertEquals(HttpVersion.HTTP_2, refused.version());
      HttpConnection connection = refused.request().connection();
      HttpClientResponse next =
          client
              .request(infer.setURI("/v2/models/unknown/infer"))
              .compose(request -> request.send(ONE_INPUT))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      assertEquals(404, next.statusCode());
      assertSame(connection, next.request().connection());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void chunkedBodyOverTheLimit_is413WithAnErrorBody() throws IOException {
    Map<String, String> answer = chunkedOverTheLimit();
    assertEquals("HTTP/1.1 413 Request Entity Too Large", answer.get("status"));
    assertEquals("close", answer.get("connection"));
    assertEquals(
        "{\"error\":\"request body is over the limit of "
            + LIMIT
            + " bytes (quarkus.http.limits.max-body-size)\"}",
        answer.get("body"));
  }

  /** Sends a chunked body 1 MiB over the limit, and reads the answer. */
  private static Map<String, String> chunkedOverTheLimit() throws IOException {
    try (Socket socket = new Socket("localhost", RestAssured.port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/linear/infer HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      try {
        for (int i = 0; i < 17; i++) {
          out.write("100000\r\n".getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      } catch (IOException closed) {
        // the agent stopped reading after the answer and closed the connection
      }
      return answer(socket);
    }
  }

  @Test
  void unknownPath_is404WithAnErrorBody() {
    given()
        .get("/v2/nothing/here")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error", equalTo("Unable to find matching target resource method"));
    given()
        .get("/nothing")
        .then()
        .statusCode(404)
        .contentType("application/json")
        .body("error", equalTo("HTTP 404 Not Found"));
  }

  @Test
  void wrongMethod_is405WithAnErrorBody() {
    for (String path :
        new String[] {"/v2/models/linear/infer", "/v2/models/linear/versions/1/infer"}) {
      given()
          .get(path)
          .then()
          .statusCode(405)
          .header("Allow", "POST")
          .contentType("application/json")
          .body("error", equalTo("HTTP 405 Method Not Allowed"));
    }
    given()
        .post("/v2/models/linear")
        .then()
        .statusCode(405)
        .contentType("application/json")
        .body("error", equalTo("HTTP 405 Method Not Allowed"));
  }

  @Test
  void unacceptableMediaType_is406WithAnErrorBody() {
    given()
        .accept("text/plain")
        .get("/v2/models/linear")
        .then()
        .statusCode(406)
        .body("error", equalTo("The accept header value did not match the value in @Produces"));
  }

  @Test
  void unexpectedFailure_is500WithoutItsDetails() {
    Response answer =
        new ServeErrors().unexpected(new IllegalStateException("secret detail of a defect"));
    assertEquals(500, answer.getStatus());
    assertEquals(new ErrorBody("internal error"), answer.getEntity());
  }

  @Test
  void unreadableBody_is400() {
    // also what follows a chunked body over the limit: Quarkus REST has answered 413 by then
    Response answer = new ServeErrors().unreadable(new IOException("Request too large"));
    assertEquals(400, answer.getStatus());
    assertEquals(new ErrorBody("request body not read: Request too large"), answer.getEntity());
  }
}
