package dev.ferry.agent.serve;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every error the agent answers has the OIP {@code {"error": …}} body and the right status. */
@QuarkusTest
class ServeErrorsTest {
  private static final long LIMIT = 16L << 20;

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

  @Test
  void chunkedBodyOverTheLimit_is413WithAnErrorBody() throws IOException {
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
      } catch (IOException closed) {
        // the agent answered and closed the connection before the rest was sent
      }
      Map<String, String> answer = answer(socket);
      assertEquals("HTTP/1.1 413 Request Entity Too Large", answer.get("status"));
      assertEquals("close", answer.get("connection"));
      assertEquals(
          "{\"error\":\"request body is over the limit of "
              + LIMIT
              + " bytes (quarkus.http.limits.max-body-size)\"}",
          answer.get("body"));
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
