package dev.ferry.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code ferry.agent.hub-url}: an {@code http://} or {@code https://} URL with a host, so
 * that {@code hub.example:8080} (no scheme) is refused at start, with the property and the value
 * named by the configuration, rather than failing later on the host it lacks.
 */
public final class HubUrlConverter implements Converter<URI> {
  private static final long serialVersionUID = 1L;

  @Override
  public URI convert(String value) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw refused("it is not a URL (" + e.getReason() + ")");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw refused("the scheme must be http or https");
    }
    if (uri.getHost() == null) {
      throw refused("it names no host");
    }
    return uri;
  }

  private static IllegalArgumentException refused(String why) {
    return new IllegalArgumentException(why + "; use https://hub.example.com or http://hub:8080");
  }
}
