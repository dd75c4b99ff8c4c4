package dev.ferry.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryAuthorityConverterTest {
  private final RegistryAuthorityConverter converter = new RegistryAuthorityConverter();

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:5000", "registry.local", "[::1]:5000", "hub:8080"})
  void convert_takesHostAndPort(String entry) {
    assertEquals(entry, converter.convert(" " + entry));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"http://127.0.0.1:5000", "127.0.0.1:5000/v2", "user@registry:5000", "a b:5000"})
  void convert_refusesASchemeAPathOrUserInfo(String entry) {
    assertEquals(
        "a registry is named host[:port], as in an image reference (127.0.0.1:5000), without a"
            + " scheme or a path",
        assertThrows(IllegalArgumentException.class, () -> converter.convert(entry)).getMessage());
  }
}
