package dev.ferry.hub.packaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.hub.Api;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.signing.Ed25519;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.Pae;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import dev.ferry.protocol.testing.OnnxModels;
import dev.ferry.protocol.testing.Services;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Publishes a generated model and checks the result with other tools: skopeo sees the ModelPack
 * manifest unchanged and copies it into an {@code oci:} layout; openssl verifies the release
 * signature with the release key from the trust root.
 */
final class ArtifactChecks {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArtifactChecks() {}

  /**
   * Publishes and checks.
   *
   * @param dir a scratch directory
   * @param expectedRepositoryPrefix what the release's repository must start with
   * @param credentials skopeo's {@code user:password} for the registry, or null for none
   */
  static void publishAndCheck(Path dir, String expectedRepositoryPrefix, String credentials)
      throws Exception {
    Path model = dir.resolve("model.onnx");
    OnnxModels.matMulAdd(model, "x", 1, 4, 2, 11);
    String name = "m" + Long.toHexString(System.nanoTime());
    String body =
        given()
            .auth()
            .oauth2(Api.token("release-manager"))
            .multiPart("model", model.toFile())
            .multiPart("version", "2.1.0")
            .post("/api/v1/models/" + name + "/versions")
            .then()
            .statusCode(201)
            .extract()
            .asString();
    JsonNode release = JSON.readTree(body);
    String repository = release.get("repository").asText();
    assertEquals(expectedRepositoryPrefix + name, repository);
    String reference = "docker://" + repository + ":2.1.0";

    String raw =
        Services.exec(
                skopeo(credentials, "--creds", "inspect", "--tls-verify=false", "--raw", reference))
            .strip();
    JsonNode manifest = JSON.readTree(raw);
    assertEquals(
        "application/vnd.cncf.model.manifest.v1+json", manifest.get("artifactType").asText());
    assertEquals(
        "application/vnd.cncf.model.config.v1+json", manifest.at("/config/mediaType").asText());
    assertEquals(
        release.get("manifestDigest").asText(),
        Digest.of(raw.getBytes(StandardCharsets.UTF_8)).toString());

    Path layout = dir.resolve("layout");
    Services.exec(
        skopeo(
            credentials,
            "--src-creds",
            "copy",
            "--src-tls-verify=false",
            reference,
            "oci:" + layout + ":2.1.0"));
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    assertEquals(release.get("manifestDigest").asText(), index.at("/manifests/0/digest").asText());
    String modelBlob = manifest.at("/layers/0/digest").asText().substring("sha256:".length());
    assertArrayEquals(
        Files.readAllBytes(model), Files.readAllBytes(layout.resolve("blobs/sha256/" + modelBlob)));

    Envelope statement =
        CODEC.decode(
            release.get("statement").toString().getBytes(StandardCharsets.UTF_8), Envelope.class);
    assertOpensslVerifies(dir, statement);
  }

  /** A skopeo command line, with the credential option after the subcommand when given. */
  private static String[] skopeo(String credentials, String option, String... args) {
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("skopeo", args[0]));
    if (credentials != null) {
      command.addAll(java.util.List.of(option, credentials));
    }
    command.addAll(java.util.Arrays.asList(args).subList(1, args.length));
    return command.toArray(String[]::new);
  }

  private static void assertOpensslVerifies(Path dir, Envelope statement) throws Exception {
    String json = given().get("/api/v1/trust/root").then().statusCode(200).extract().asString();
    Envelope signedRoot = CODEC.decode(json.getBytes(StandardCharsets.UTF_8), Envelope.class);
    TrustRoot root = CODEC.decode(signedRoot.payloadBytes(), TrustRoot.class);
    root.verifier(Role.ROOT).verify(signedRoot, PayloadTypes.ROOT);
    String releaseKeyId = root.roles().get(Role.RELEASE.id()).keyids().get(0);
    assertEquals(releaseKeyId, statement.signatures().get(0).keyid());
    Path pub =
        Files.writeString(
            dir.resolve("release.pub"), Ed25519.toPem(root.keys().get(releaseKeyId).key()));
    Path pae =
        Files.write(
            dir.resolve("pae.bin"), Pae.encode(PayloadTypes.IN_TOTO, statement.payloadBytes()));
    Path sig =
        Files.write(
            dir.resolve("sig.bin"),
            Base64.getDecoder().decode(statement.signatures().get(0).sig()));
    String out =
        Services.exec(
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            pub.toString(),
            "-rawin",
            "-in",
            pae.toString(),
            "-sigfile",
            sig.toString());
    assertEquals("Signature Verified Successfully", out.strip());
  }
}
