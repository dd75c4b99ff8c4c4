package dev.ferry.hub.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.LogRecords;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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
        .body(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
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
