package dev.ferry.hub.broker;

import dev.ferry.protocol.device.Topic;
import io.moquette.BrokerConstants;
import io.moquette.broker.config.IConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedded broker's listeners: TLS with client certificates always; plain TCP only when
 * configured, and then only on a loopback host (Moquette binds one host for both).
 *
 * @param host the address to listen on
 * @param tlsPort the TLS port
 * @param plainPort the plain-TCP port, if any
 */
record Listeners(String host, int tlsPort, Optional<Integer> plainPort) {
  Listeners {
    if (plainPort.isPresent() && !loopback(host)) {
      throw new PlainPortNotOnLoopbackException(host, plainPort.get());
    }
  }

  /**
   * Moquette's settings for these listeners: no anonymous clients, no websockets, no packet over
   * {@link Topic#MAX_PACKET_BYTES} (Moquette's own default, 8092 bytes, refused real telemetry).
   */
  Properties properties() {
    Properties props = new Properties();
    props.setProperty(IConfig.HOST_PROPERTY_NAME, host);
    props.setProperty(IConfig.SSL_PORT_PROPERTY_NAME, String.valueOf(tlsPort));
    props.setProperty(BrokerConstants.NEED_CLIENT_AUTH, "true");
    props.setProperty(
        IConfig.PORT_PROPERTY_NAME,
        plainPort.map(String::valueOf).orElse(BrokerConstants.DISABLED_PORT_BIND));
    props.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, BrokerConstants.DISABLED_PORT_BIND);
    props.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "false");
    props.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
    props.setProperty(
        BrokerConstants.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(Topic.MAX_PACKET_BYTES));
    return props;
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A plain-TCP listener was configured on a host other devices can reach. */
  static final class PlainPortNotOnLoopbackException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PlainPortNotOnLoopbackException(String host, int port) {
      super(
          "ferry.hub.mqtt.plain-port ("
              + port
              + ") is allowed only when ferry.hub.mqtt.host is a loopback address, but it is '"
              + host
              + "'; set ferry.hub.mqtt.host=127.0.0.1 or remove ferry.hub.mqtt.plain-port");
    }
  }
}
