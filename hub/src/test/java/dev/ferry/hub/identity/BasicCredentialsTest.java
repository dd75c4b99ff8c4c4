package dev.ferry.hub.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The HTTP Basic header a device renews with. */
class BasicCredentialsTest {
  private static String basic(String text) {
    return "Basic " + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parse_splitsAtTheFirstColon() {
    BasicCredentials credentials = BasicCredentials.parse(basic("edge-01:fdp_a:b")).orElseThrow();
    assertEquals("edge-01", credentials.user());
    assertArrayEquals("fdp_a:b".getBytes(StandardCharsets.UTF_8), credentials.password());
  }

  @Test
  void parse_ignoresOtherSchemes_andNoHeader() {
    assertEquals(Optional.empty(), BasicCredentials.parse(null));
    assertEquals(Optional.empty(), BasicCredentials.parse("Bearer fy_x"));
  }

  @Test
  void parse_refusesMalformedBasic_with401() {
    ApiException notBase64 =
        assertThrows(ApiException.class, () -> BasicCredentials.parse("Basic !!!"));
    assertEquals(ErrorCode.UNAUTHENTICATED, notBase64.code());
    assertEquals("Authorization: Basic is not base64", notBase64.getMessage());
    ApiException noColon =
        assertThrows(ApiException.class, () -> BasicCredentials.parse(basic("edge-01")));
    assertEquals("Authorization: Basic lacks 'user:password'", noColon.getMessage());
  }

  @Test
  void toString_neverShowsThePassword() {
    String shown = BasicCredentials.parse(basic("edge-01:fdp_secret")).orElseThrow().toString();
    assertEquals("BasicCredentials[edge-01]", shown);
    assertTrue(!shown.contains("fdp_secret"));
  }
}
