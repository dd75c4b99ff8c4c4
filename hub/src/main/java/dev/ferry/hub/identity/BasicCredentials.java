package dev.ferry.hub.identity;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * An HTTP Basic {@code Authorization} header: how a device presents its id and broker password to
 * the hub's HTTP endpoints.
 *
 * @param user the user (a device id)
 * @param password the password bytes; never logged
 */
public record BasicCredentials(String user, byte[] password) {
  private static final String PREFIX = "Basic ";

  /**
   * Parses a header.
   *
   * @param header the {@code Authorization} header, or null
   * @return the credentials, or empty when the header is absent or not Basic
   * @throws ApiException (401) when a Basic header is malformed
   */
  public static Optional<BasicCredentials> parse(String header) {
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(header.substring(PREFIX.length()).strip());
    } catch (IllegalArgumentException e) {
      throw new ApiException(ErrorCode.UNAUTHENTICATED, "Authorization: Basic is not base64");
    }
    int colon = indexOf(decoded, (byte) ':');
    if (colon < 0) {
      throw new ApiException(
          ErrorCode.UNAUTHENTICATED, "Authorization: Basic lacks 'user:password'");
    }
    return Optional.of(
        new BasicCredentials(
            new String(decoded, 0, colon, StandardCharsets.UTF_8),
            Arrays.copyOfRange(decoded, colon + 1, decoded.length)));
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** Names the user, never the password. */
  @Override
  public String toString() {
    return "BasicCredentials[" + user + "]";
  }
}
