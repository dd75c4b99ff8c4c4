package dev.ferry.protocol.registry;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where registry credentials come from. Resolved through jib-core, so Docker config files, {@code
 * credHelpers}, {@code credsStore} and {@code docker-credential-*} helpers work as Docker does.
 * Never prints a secret.
 */
public final class Credentials {
  private final String description;
  private final Function<CredentialRetrieverFactory, Optional<Credential>> retrieval;

  private Credentials(
      String description, Function<CredentialRetrieverFactory, Optional<Credential>> retrieval) {
    this.description = description;
    this.retrieval = retrieval;
  }

  /** No credentials: anonymous access and anonymous tokens. */
  public static Credentials anonymous() {
    return new Credentials("anonymous", factory -> Optional.empty());
  }

  /**
   * A user name and password (or token) for basic auth and the token flow.
   *
   * @param username the user name
   * @param password the password; never logged
   * @return the credentials
   */
  public static Credentials basic(String username, String password) {
    Credential credential = Credential.from(username, password);
    return new Credentials("basic user " + username, factory -> Optional.of(credential));
  }

  /**
   * Docker's config: {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}.
   *
   * @return the credentials
   */
  public static Credentials dockerConfig() {
    String dir = System.getenv("DOCKER_CONFIG");
    Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
    return dockerConfig(base.resolve("config.json"));
  }

  /**
   * A Docker config file, with its {@code auths}, {@code credHelpers} and {@code credsStore}.
   *
   * @param configJson the file
   * @return the credentials
   */
  public static Credentials dockerConfig(Path configJson) {
    return new Credentials(
        "docker config " + configJson,
        factory ->
            Files.exists(configJson)
                ? retrieve(factory.dockerConfig(configJson))
                : Optional.empty());
  }

  /**
   * A Docker credential helper, {@code docker-credential-<name>} on the PATH.
   *
   * @param name the helper's suffix, for example {@code ecr-login}
   * @return the credentials
   */
  public static Credentials helper(String name) {
    return new Credentials(
        "credential helper " + name,
        factory -> retrieve(factory.dockerCredentialHelper("docker-credential-" + name)));
  }

  /**
   * A Docker credential helper at a given path.
   *
   * @param executable the helper program
   * @return the credentials
   */
  public static Credentials helper(Path executable) {
    return new Credentials(
        "credential helper " + executable,
        factory -> retrieve(factory.dockerCredentialHelper(executable)));
  }

  Optional<Credential> resolve(String registry, String repository) {
    return retrieval.apply(
        CredentialRetrieverFactory.forImage(
            ImageReference.of(registry, repository, null), e -> {}));
  }

  private static Optional<Credential> retrieve(CredentialRetriever retriever) {
    try {
      return retriever.retrieve();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read registry credentials: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Credentials[" + description + "]";
  }
}
