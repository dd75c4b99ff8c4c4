package dev.ferry.hub.broker;

import static io.restassured.RestAssured.given;

import dev.ferry.hub.Api;
import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.identity.Pem;
import dev.ferry.hub.identity.TestCsr;
import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.json.JsonCodec;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A device enrolled through the hub's API as an agent enrolls (its own key, a CSR, a token from the
 * admin), and its MQTT connection over mutual TLS to the embedded broker.
 *
 * @param id the device id
 * @param identity its key and certificate chain
 * @param trusted the CA certificates it trusts for the broker
 * @param password its MQTT password
 */
public record Enrolled(
    String id, KeyAndChain identity, List<X509Certificate> trusted, String password) {
  private static final JsonCodec CODEC = new JsonCodec();

  /**
   * Enrolls a device (policy auto: ACCEPTED at once).
   *
   * @param id the device id
   * @return the device
   */
  public static Enrolled device(String id) {
    String token =
        given()
            .auth()
            .oauth2(Api.admin())
            .contentType(ContentType.JSON)
            .body("{\"deviceId\":\"" + id + "\"}")
            .post("/api/v1/enrollment-tokens")
            .then()
            .statusCode(201)
            .extract()
            .path("token");
    TestCsr csr = TestCsr.of(id);
    byte[] body =
        given()
            .contentType(ContentType.JSON)
            .body(CODEC.encode(new EnrollRequest(token, id, csr.pem())))
            .post("/api/v1/enroll")
            .then()
            .statusCode(201)
            .extract()
            .asByteArray();
    DeviceCredentials credentials = CODEC.decode(body, DeviceCredentials.class);
    return new Enrolled(
        id,
        new KeyAndChain(csr.keys().getPrivate(), Pem.certificates(credentials.certificate())),
        Pem.certificates(credentials.caCertificates()),
        credentials.mqttPassword());
  }

  /** The embedded broker's TLS URL. */
  public static String url() {
    return "ssl://127.0.0.1:" + HubTestProfile.mqttPort();
  }

  /** Options as the agent sets them: its certificate, user = device id, its password. */
  public MqttConnectOptions options() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(id);
    options.setPassword(password.toCharArray());
    options.setSocketFactory(socketFactory(identity));
    return options;
  }

  /**
   * A socket factory presenting another identity, trusting the broker as this device does.
   *
   * @param presented the key and chain to present
   * @return the factory
   */
  public SSLSocketFactory socketFactory(KeyAndChain presented) {
    try {
      return TlsContexts.clientSocketFactory(presented, trusted);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new client with this device's id as client id, not connected. */
  public MqttClient client() throws MqttException {
    return new MqttClient(url(), id, new MemoryPersistence());
  }

  /** A new client connected with {@link #options()}. */
  public MqttClient connect() throws MqttException {
    MqttClient client = client();
    client.connect(options());
    return client;
  }

  /** {@code Authorization: Basic} with this device's id and MQTT password. */
  public String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((id + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Names the device, never its password. */
  @Override
  public String toString() {
    return "Enrolled[" + id + "]";
  }
}
