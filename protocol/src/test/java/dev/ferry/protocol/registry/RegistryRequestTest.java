package dev.ferry.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryRequestTest {
  private static final URI URI = java.net.URI.create("http://127.0.0.1:5000/v2/models/a/blobs/x");

  @Test
  void get_pullsWithoutABody() {
    RegistryRequest get = RegistryRequest.get("models/a", URI);
    assertEquals("GET", get.method());
    assertEquals(false, get.push());
    assertEquals(0, get.body().contentLength());
    assertEquals(Map.of(), get.headers());
  }

  @Test
  void head_pulls() {
    RegistryRequest head = RegistryRequest.head("models/a", URI);
    assertEquals("HEAD", head.method());
    assertEquals(false, head.push());
  }

  @Test
  void put_pushesTheBytesWithTheirMediaType() {
    RegistryRequest put = RegistryRequest.put("models/a", URI, new byte[] {1, 2, 3}, "x/y");
    assertEquals("PUT", put.method());
    assertEquals(true, put.push());
    assertEquals(3, put.body().contentLength());
    assertEquals(Map.of("Content-Type", "x/y"), put.headers());
  }

  @Test
  void withHeader_addsOneAndKeepsTheRest() {
    RegistryRequest get = RegistryRequest.get("models/a", URI).withHeader("Range", "bytes=5-");
    assertEquals(Map.of("Range", "bytes=5-"), get.headers());
    assertEquals(URI, get.uri());
    assertEquals(
        Map.of("Content-Type", "x/y", "Accept", "a/b"),
        RegistryRequest.put("models/a", URI, new byte[0], "x/y")
            .withHeader("Accept", "a/b")
            .headers());
  }

  @Test
  void constructor_refusesAMissingUri() {
    var error =
        assertThrows(NullPointerException.class, () -> RegistryRequest.get("models/a", null));
    assertEquals("uri", error.getMessage());
  }
}
