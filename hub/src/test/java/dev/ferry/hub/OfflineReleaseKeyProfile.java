package dev.ferry.hub;

import static io.restassured.RestAssured.given;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.signing.TrustRoot;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hub as a real fleet runs it: an offline root's document (made here, as ferry trust init would),
 * the hub key, and the release key offline ({@code ferry.hub.keys.release=offline}); its own data
 * directory, since its root is not the quickstart's.
 */
public class OfflineReleaseKeyProfile extends HubTestProfile {
  private static final Path DIR = newDir();
  private static final KeyPair RELEASE = Ed25519.generate();

  private static Path newDir() {
    try {
      Path dir = newTestDir("ferry-hub-offline");
      Files.writeString(dir.resolve("hub.pem"), Ed25519.toPem(Ed25519.generate()));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The offline release key the root names. */
  public static KeyPair releaseKey() {
    return RELEASE;
  }

  /** Issues a fresh token of the hub under this profile. */
  public static String token(String role) {
    String admin;
    try {
      admin = Files.readString(DIR.resolve("data/admin.token")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return given()
        .auth()
        .oauth2(admin)
        .contentType(ContentType.JSON)
        .body("{\"name\":\"" + role + "-" + System.nanoTime() + "\",\"role\":\"" + role + "\"}")
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .extract()
        .path("token");
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    writeRoot();
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("ferry.hub.data-dir", DIR.resolve("data").toString());
    config.put("ferry.hub.keys.root-document", DIR.resolve("root-1.json").toString());
    config.put("ferry.hub.keys.hub", DIR.resolve("hub.pem").toString());
    config.put("ferry.hub.keys.release", "offline");
    return config;
  }

  private static synchronized void writeRoot() {
    Path file = DIR.resolve("root-1.json");
    if (Files.exists(file)) {
      return;
    }
    try {
      KeyPair root = Ed25519.generate();
      KeyPair hub = Ed25519.keyPairFromPem(Files.readString(DIR.resolve("hub.pem")));
      TrustRoot v1 =
          TrustRoot.initial(
              null,
              Map.of(
                  Role.ROOT, List.of(root.getPublic()),
                  Role.RELEASE, List.of(RELEASE.getPublic()),
                  Role.HUB, List.of(hub.getPublic())),
              1);
      JsonCodec codec = new JsonCodec();
      Files.write(file, codec.encode(new Signer(root).sign(PayloadTypes.ROOT, codec.encode(v1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
