package dev.ferry.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HubUrlConverterTest {
  private final HubUrlConverter converter = new HubUrlConverter();

  @Test
  void convert_takesHttpAndHttpsUrlsWithAHost() {
    assertEquals(
        URI.create("https://hub.example.com"), converter.convert("https://hub.example.com"));
    assertEquals(URI.create("http://10.0.0.5:8080"), converter.convert(" http://10.0.0.5:8080 "));
  }

  @Test
  void convert_refusesAUrlWithoutSchemeOrHost_sayingWhatItShouldBe() {
    assertEquals(
        "the scheme must be http or https; use https://hub.example.com or http://hub:8080",
        assertThrows(IllegalArgumentException.class, () -> converter.convert("hub.example:8080"))
            .getMessage());
    assertEquals(
        "it names no host; use https://hub.example.com or http://hub:8080",
        assertThrows(IllegalArgumentException.class, () -> converter.convert("https:/hub"))
            .getMessage());
    assertEquals(
        "it is not a URL (Illegal character in authority); use https://hub.example.com or"
            + " http://hub:8080",
        assertThrows(IllegalArgumentException.class, () -> converter.convert("http://a hub:80"))
            .getMessage());
  }
}
