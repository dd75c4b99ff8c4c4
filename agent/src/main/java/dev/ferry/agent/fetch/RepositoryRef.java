package dev.ferry.agent.fetch;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;

/**
 * A repository reference split into its registry and path: {@code 127.0.0.1:8080/models/det}.
 *
 * @param registry {@code host[:port]}
 * @param repository the path inside the registry
 */
public record RepositoryRef(String registry, String repository) {
  /**
   * Splits a reference.
   *
   * @param reference {@code host[:port]/path}
   * @return the parts
   */
  public static RepositoryRef parse(String reference) {
    int slash = Fields.text(reference, "repository").indexOf('/');
    if (slash <= 0 || slash == reference.length() - 1) {
      throw new FieldException(
          "repository", "must be host[:port]/path, got " + Fields.show(reference));
    }
    return new RepositoryRef(reference.substring(0, slash), reference.substring(slash + 1));
  }
}
