package dev.ferry.hub.broker;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The embedded broker's password for the hub's own clients: random, made at start, held only in
 * memory, never logged.
 */
@Singleton
public class HubPassword {
  private final String password = newPassword();

  private static String newPassword() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  byte[] bytes() {
    return password.getBytes(StandardCharsets.US_ASCII);
  }

  char[] chars() {
    return password.toCharArray();
  }

  @Override
  public String toString() {
    return "HubPassword[***]";
  }
}
