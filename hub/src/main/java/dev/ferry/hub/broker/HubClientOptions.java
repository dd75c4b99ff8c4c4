package dev.ferry.hub.broker;

import dev.ferry.hub.config.HubConfig;
import dev.ferry.hub.identity.TlsMaterial;
import dev.ferry.hub.identity.TlsMaterial.KeyAndChain;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;

/**
 * Connect options for all of the hub's MQTT clients: on the embedded broker TLS to 127.0.0.1 as
 * {@value TlsMaterial#HUB_IDENTITY} with the password of this start; on an external broker the
 * configured user, password and, for {@code ssl://}, the configured (or device-CA) trust and client
 * certificate. Host names are verified.
 */
@ApplicationScoped
public class HubClientOptions {
  private static final int MAX_RECONNECT_DELAY_MILLIS = 15_000;

  @Inject HubConfig config;
  @Inject TlsMaterial tls;
  @Inject EmbeddedBroker broker;
  @Inject HubPassword hubPassword;

  private volatile SSLSocketFactory socketFactory;

  /**
   * Fresh options with the hub's credentials and TLS settings; callers add their own (session,
   * reconnect, in-flight window).
   *
   * @return MQTT 3.1.1 options
   */
  public MqttConnectOptions create() {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setHttpsHostnameVerificationEnabled(true);
    // Paho's automatic reconnect backs off up to 128 s by default: after a broker restart devices
    // would wait that long for the hub's receipts, and the hub's reported states would be stale
    options.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MILLIS);
    if (broker.embedded()) {
      options.setUserName(TlsMaterial.HUB_IDENTITY);
      options.setPassword(hubPassword.chars());
    } else {
      config.mqtt().username().ifPresent(options::setUserName);
      config.mqtt().password().map(String::toCharArray).ifPresent(options::setPassword);
    }
    if (broker.url().startsWith("ssl://")) {
      options.setSocketFactory(socketFactory());
    }
    return options;
  }

  private SSLSocketFactory socketFactory() {
    if (socketFactory == null) {
      try {
        socketFactory = TlsContexts.clientSocketFactory(identity(), trusted());
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "cannot set up TLS for the hub's MQTT clients: " + e.getMessage(), e);
      }
    }
    return socketFactory;
  }

  private KeyAndChain identity() throws IOException {
    HubConfig.Mqtt mqtt = config.mqtt();
    Optional<Path> certificate = broker.embedded() ? Optional.empty() : mqtt.certificateFile();
    Optional<Path> key = broker.embedded() ? Optional.empty() : mqtt.keyFile();
    if (certificate.isPresent() != key.isPresent()) {
      throw new IllegalArgumentException(
          "ferry.hub.mqtt.certificate-file and ferry.hub.mqtt.key-file go together; only "
              + (certificate.isPresent() ? "certificate-file" : "key-file")
              + " is set");
    }
    return certificate.isPresent()
        ? PemFiles.keyAndChain(certificate.get(), key.get())
        : tls.hubIdentity();
  }

  private List<X509Certificate> trusted() throws IOException {
    Optional<Path> caFile = broker.embedded() ? Optional.empty() : config.mqtt().caFile();
    return caFile.isPresent() ? PemFiles.certificates(caFile.get()) : List.of(tls.caCertificate());
  }
}
