package dev.ferry.protocol.device;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Checks an MQTT broker's URL before hub or agent uses it, so that a mistyped one stops the start
 * with the property and the value named rather than with Paho's "no NetworkModule installed for
 * scheme".
 */
public final class BrokerUrl {
  private BrokerUrl() {}

  /**
   * @param url the configured URL
   * @param property the property it came from, for the message
   * @return the URL, a {@code tcp://} or {@code ssl://} one with a host
   * @throws IllegalArgumentException naming the property and the value otherwise
   */
  public static String check(String url, String property) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(url, property, "not a URL (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme();
    if (!"tcp".equals(scheme) && !"ssl".equals(scheme)) {
      throw refused(url, property, "the scheme must be tcp or ssl");
    }
    if (uri.getHost() == null) {
      throw refused(url, property, "it names no host");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
      throw refused(url, property, "an MQTT URL has no path");
    }
    return url;
  }

  private static IllegalArgumentException refused(String url, String property, String why) {
    return new IllegalArgumentException(
        property
            + ": '"
            + url
            + "' is not a broker URL: "
            + why
            + "; use tcp://host:1883, or ssl://host:8883 for TLS");
  }
}
