package dev.ferry.it.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.api.EnrollmentToken;
import dev.ferry.protocol.api.EnrollmentTokenRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Enrolls test devices with a hub as an agent does: an enrollment token made with the admin token,
 * an EC P-256 key made here, a CSR, {@code POST /api/v1/enroll}.
 */
public final class Enrollment {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String hubUrl;
  private final String adminToken;

  /**
   * @param hubUrl the hub, {@code http://127.0.0.1:<port>}
   * @param adminToken a token allowed to create enrollment tokens
   */
  public Enrollment(String hubUrl, String adminToken) {
    this.hubUrl = hubUrl;
    this.adminToken = adminToken;
  }

  /** A one-use token for one device, valid for a day. */
  public String token(String deviceId) throws Exception {
    return token(new EnrollmentTokenRequest(deviceId, Map.of(), "P1D", 1)).token();
  }

  /** A token for any number of devices (up to {@code uses}) with these hub labels. */
  public String fleetToken(Map<String, String> labels, int uses) throws Exception {
    return token(new EnrollmentTokenRequest(null, labels, "P1D", uses)).token();
  }

  /** Creates a token; fails the test unless the hub answers 201. */
  public EnrollmentToken token(EnrollmentTokenRequest request) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(hubUrl + "/api/v1/enrollment-tokens"))
                .header("Authorization", "Bearer " + adminToken),
            JSON.writeValueAsString(request));
    if (response.statusCode() != 201) {
      throw new AssertionError("token not created: " + response.statusCode() + response.body());
    }
    return JSON.readValue(response.body(), EnrollmentToken.class);
  }

  /** Enrolls a device with a new key; fails the test unless the hub answers 201. */
  public DeviceIdentity enroll(String token, String deviceId) throws Exception {
    KeyPair keys = TestCa.ecKeys();
    HttpResponse<String> response = enroll(token, deviceId, csr(deviceId, keys));
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "enrollment of " + deviceId + ": " + response.statusCode() + " " + response.body());
    }
    DeviceCredentials credentials = JSON.readValue(response.body(), DeviceCredentials.class);
    return new DeviceIdentity(
        deviceId,
        keys.getPrivate(),
        DeviceIdentity.certificates(credentials.certificate()),
        DeviceIdentity.certificates(credentials.caCertificates()),
        credentials.mqttPassword());
  }

  /** Creates a one-device token and enrolls the device with it. */
  public DeviceIdentity enroll(String deviceId) throws Exception {
    return enroll(token(deviceId), deviceId);
  }

  /**
   * Enrolls devices with one fleet token, for {@code FleetSimulator}: each call makes a key and
   * enrolls one device.
   */
  public java.util.function.Function<String, DeviceIdentity> with(String token) {
    return id -> {
      try {
        return enroll(token, id);
      } catch (Exception e) {
        throw new AssertionError("cannot enroll " + id, e);
      }
    };
  }

  /** {@code POST /api/v1/enroll} as it is, for tests of what the hub refuses. */
  public HttpResponse<String> enroll(String token, String deviceId, String csr) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(hubUrl + "/api/v1/enroll")),
        JSON.writeValueAsString(new EnrollRequest(token, deviceId, csr)));
  }

  /** A PEM PKCS#10 request with subject {@code CN=<cn>}, signed by the key pair. */
  public static String csr(String cn, KeyPair keys) throws GeneralSecurityException {
    return TestCa.pem(
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + cn), keys.getPublic())
            .build(TestCa.signer(keys)));
  }

  /** Writes a token to a file only its owner may read (0600), as an operator gives it an agent. */
  public static Path tokenFile(Path dir, String token) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("enrollment.token");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String json) throws Exception {
    return http.send(
        request
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
