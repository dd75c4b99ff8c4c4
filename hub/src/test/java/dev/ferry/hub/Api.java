package dev.ferry.hub;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Tokens for tests of the hub's API. */
public final class Api {
  private Api() {}

  /** The generated admin token of the hub under test. */
  public static String admin() {
    try {
      return Files.readString(HubTestProfile.dataDir().resolve("admin.token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Issues a fresh token.
   *
   * @param role its role
   * @return the token
   */
  public static String token(String role) {
    return given()
        .auth()
        .oauth2(admin())
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + role + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }
}
