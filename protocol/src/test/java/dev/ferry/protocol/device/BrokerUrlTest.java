package dev.ferry.protocol.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BrokerUrlTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "tcp://127.0.0.1:1883",
        "ssl://hub.example.com:8883",
        "ssl://[::1]:8883",
        "tcp://h"
      })
  void check_acceptsTcpAndSslUrlsWithAHost(String url) {
    assertEquals(url, BrokerUrl.check(url, "ferry.agent.mqtt.url"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "htp://hub:1883|the scheme must be tcp or ssl",
        "hub.example.com:8883|the scheme must be tcp or ssl",
        "mqtts://hub:8883|the scheme must be tcp or ssl",
        "tcp:/hub|it names no host",
        "tcp://hub:1883/ferry|an MQTT URL has no path",
        "tcp://hub name:1883|not a URL (Illegal character in authority)"
      })
  void check_refusesOthers_namingThePropertyAndTheValue(String url, String why) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> BrokerUrl.check(url, "ferry.agent.mqtt.url"));

    assertEquals(
        "ferry.agent.mqtt.url: '"
            + url
            + "' is not a broker URL: "
            + why
            + "; use tcp://host:1883, or ssl://host:8883 for TLS",
        e.getMessage());
  }
}
