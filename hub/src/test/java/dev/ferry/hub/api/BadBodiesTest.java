package dev.ferry.hub.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Bodies that do not parse get a 400 naming what is wrong, never a 500 or an empty answer, and no
 * ERROR in the hub's log: the caller's mistake is not the hub's failure.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class BadBodiesTest {
  private static ValidatableResponse token(String json) throws Exception {
    String admin = Files.readString(HubTestProfile.dataDir().resolve("admin.token")).strip();
    return given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body(json)
        .post("/api/v1/tokens")
        .then()
        .log()
        .ifValidationFails();
  }

  private static ValidatableResponse publish(String boundary, String body) {
    return given()
        .auth()
        .oauth2(Api.token("release-manager"))
        .contentType("multipart/form-data; boundary=" + boundary)
        .body(body.getBytes(StandardCharsets.US_ASCII))
        .post("/api/v1/models/bad-bodies/versions")
        .then()
        .log()
        .ifValidationFails();
  }

  @Test
  void json_thatDoesNotParse_orDoesNotBind_isA400NamingWhatIsWrong() throws Exception {
    try (LogRecords taken = LogRecords.on(Logger.getLogger(""))) {
      // before: 400 "HTTP 400 Bad Request"
      token("{\"name\":")
          .statusCode(400)
          .body("code", equalTo("INVALID_REQUEST"))
          .body(
              "message",
              equalTo(
                  "request body: malformed JSON at line 1, column 9: Unexpected end-of-input:"
                      + " expected close marker for Object"));
      // before: 400 with no body
      token("[]").statusCode(400).body("message", equalTo("request body: must be an object"));
      token("{\"name\":\"late\",\"role\":\"viewer\",\"expiresAt\":\"yesterday\"}")
          .statusCode(400)
          .body(
              "message",
              equalTo("request body: expiresAt must be an RFC 3339 timestamp, got 'yesterday'"));
      token("{\"name\":[1],\"role\":\"viewer\"}")
          .statusCode(400)
          .body("message", equalTo("request body: name must be a string"));
      assertNoError(taken);
    }
  }

  @Test
  void multipart_thatDoesNotParse_isA400_notA500() {
    try (LogRecords taken = LogRecords.on(Logger.getLogger(""))) {
      // no delimiter at all: the body ends with the parser still before its first part
      publish("zz", "garbage")
          .statusCode(400)
          .body(
              "message",
              equalTo(
                  "the multipart/form-data body ended before its closing boundary"
                      + " (--BOUNDARY--)"));
      // a part whose closing delimiter never comes
      publish("zz", "--zz\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1.0.0\r\n")
          .statusCode(400)
          .body("code", equalTo("INVALID_REQUEST"));
      // a part header that is no header: before, a 500 and an ERROR with a stack trace
      publish("zz", "--zz\r\nnot a header\r\n\r\n1.0.0\r\n--zz--\r\n")
          .statusCode(400)
          .body(
              "message",
              equalTo(
                  "the multipart/form-data body is malformed: a part's delimiter or headers do"
                      + " not parse"));
      assertNoError(taken);
    }
  }

  @Test
  void aCaptureUploadFromNobody_isRefusedBeforeItsBodyIsRead() throws Exception {
    // before: the hub read the whole body (up to its 4 GiB model limit) into memory, then refused
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", RestAssured.port)) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /api/v1/devices/nobody/captures HTTP/1.1\r\nHost: hub\r\n"
              + "Content-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(new byte[4096]);
      socket.getOutputStream().flush();
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertEquals("HTTP/1.1 401 Unauthorized", status);
    }
  }

  @Test
  void aJsonBodyOverTheLimit_isA400NamingIt() throws Exception {
    // Jackson counts what it has read at each refill of its 8 KB buffer: 64 KiB over is well over
    String huge = "{\"name\":\"" + "a".repeat((int) JsonBodyLimit.MAX_BYTES + (64 << 10)) + "\"}";
    token(huge)
        .statusCode(400)
        .body(
            "message",
            org.hamcrest.Matchers.containsString(
                "exceeds the maximum allowed (" + JsonBodyLimit.MAX_BYTES));
  }

  @Test
  void anEnrollmentOrRenewal_fromAnyone_isReadOnlyUpToItsMessagesLimit() {
    // before: bound by Quarkus's reader, as long as the hub's model-sized body limit
    String big = "{\"token\":\"" + "a".repeat(100_000) + "\"}";
    for (String path : new String[] {"/api/v1/enroll", "/api/v1/devices/d1/certificate"}) {
      given()
          .header("Authorization", "Basic ZDE6cGFzc3dvcmQ=") // d1:password, for the renewal
          .contentType(ContentType.JSON)
          .body(big)
          .post(path)
          .then()
          .log()
          .ifValidationFails()
          .statusCode(400)
          .body(
              "message",
              org.hamcrest.Matchers.endsWith(": payload exceeds the limit of 65536 bytes"));
    }
  }

  /** The loggers a request's failure goes to: the mappers', RESTEasy's and Quarkus's HTTP. */
  private static boolean isRequestPath(String logger) {
    return logger.startsWith("dev.ferry.hub.api")
        || logger.startsWith("org.jboss.resteasy")
        || logger.startsWith("io.quarkus.vertx.http");
  }

  private static void assertNoError(LogRecords taken) {
    assertEquals(
        java.util.List.of(),
        taken.all().stream()
            .filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue())
            .filter(r -> r.getLoggerName() != null && isRequestPath(r.getLoggerName()))
            .map(r -> r.getLoggerName() + ": " + r.getMessage())
            .toList());
  }
}
