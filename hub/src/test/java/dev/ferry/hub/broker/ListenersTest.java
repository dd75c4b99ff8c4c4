package dev.ferry.hub.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ListenersTest {
  @Test
  void tlsOnly_disablesPlainTcpAndAnonymousClients() {
    Properties props = new Listeners("0.0.0.0", 8883, Optional.empty()).properties();
    assertEquals("0.0.0.0", props.getProperty("host"));
    assertEquals("8883", props.getProperty("ssl_port"));
    assertEquals("disabled", props.getProperty("port"));
    assertEquals("disabled", props.getProperty("websocket_port"));
    assertEquals("true", props.getProperty("need_client_auth"));
    assertEquals("false", props.getProperty("allow_anonymous"));
    assertEquals("1052672", props.getProperty("netty.mqtt.message_size"));
  }

  @Test
  void plainPort_onLoopbackIsOpened() {
    Properties props = new Listeners("127.0.0.1", 8883, Optional.of(1883)).properties();
    assertEquals("1883", props.getProperty("port"));
    assertEquals("false", props.getProperty("allow_anonymous"));
  }

  @Test
  void plainPort_onAnyOtherHostIsRefused() {
    var e =
        assertThrows(
            Listeners.PlainPortNotOnLoopbackException.class,
            () -> new Listeners("0.0.0.0", 8883, Optional.of(1883)));
    assertEquals(
        "ferry.hub.mqtt.plain-port (1883) is allowed only when ferry.hub.mqtt.host is a loopback"
            + " address, but it is '0.0.0.0'; set ferry.hub.mqtt.host=127.0.0.1 or remove"
            + " ferry.hub.mqtt.plain-port",
        e.getMessage());
  }

  @Test
  void tlsNames_defaultToLoopbackAndThePublicHost() {
    assertEquals(
        List.of("localhost", "127.0.0.1", "hub.example.com"),
        ServerTls.names(Optional.empty(), Optional.of("https://hub.example.com:8080")));
    assertEquals(
        List.of("localhost", "127.0.0.1"), ServerTls.names(Optional.empty(), Optional.empty()));
    assertEquals(
        List.of("mqtt.example.com"),
        ServerTls.names(Optional.of(List.of("mqtt.example.com")), Optional.of("http://x:1")));
  }
}
