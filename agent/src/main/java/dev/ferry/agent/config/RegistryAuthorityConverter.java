package dev.ferry.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads one entry of {@code ferry.agent.registry.plain-http}: a registry as an image reference
 * names it, {@code host[:port]}. An entry such as {@code http://127.0.0.1:5000} would match no
 * registry, and the agent would try HTTPS on it at its first pull; it is refused at start instead.
 */
public final class RegistryAuthorityConverter implements Converter<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public String convert(String value) {
    String entry = value.strip();
    if (entry.contains("/")) {
      throw refused();
    }
    try {
      URI uri = new URI("//" + entry);
      if (uri.getHost() == null || uri.getUserInfo() != null) {
        throw refused();
      }
    } catch (URISyntaxException e) {
      throw refused();
    }
    return entry;
  }

  private static IllegalArgumentException refused() {
    return new IllegalArgumentException(
        "a registry is named host[:port], as in an image reference (127.0.0.1:5000), without a"
            + " scheme or a path");
  }
}
