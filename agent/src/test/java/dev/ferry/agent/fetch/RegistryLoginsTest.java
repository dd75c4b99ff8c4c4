package dev.ferry.agent.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.registry.Credentials;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryLoginsTest {
  private static final Credentials DEVICE = Credentials.basic("edge-1", "fdp_x");
  private static final Credentials DOCKER =
      Credentials.dockerConfig(Path.of("/nowhere/config.json"));
  private static final Credentials CONFIGURED = Credentials.basic("puller", "p");

  @TempDir Path dir;

  private static RegistryLogins logins(Optional<Credentials> configured) {
    return new RegistryLogins(
        Optional.of(RegistryLogins.authority(URI.create("http://hub.local:8080"))),
        () -> Optional.of(DEVICE),
        configured,
        DOCKER);
  }

  @Test
  void hubsRegistry_getsTheDeviceCredential() {
    assertEquals(DEVICE, logins(Optional.of(CONFIGURED)).forRegistry("hub.local:8080", true));
    assertEquals(DEVICE, logins(Optional.empty()).forRegistry("HUB.local:8080", false));
  }

  @Test
  void otherRegistries_getTheConfiguredCredentials_elseDockerConfig() {
    assertEquals(CONFIGURED, logins(Optional.of(CONFIGURED)).forRegistry("hub.local:5000", true));
    assertEquals(CONFIGURED, logins(Optional.of(CONFIGURED)).forRegistry("ghcr.io", false));
    assertEquals(DOCKER, logins(Optional.empty()).forRegistry("ghcr.io", false));
  }

  @Test
  void defaultPorts_followTheSchemes() {
    var https =
        new RegistryLogins(
            Optional.of(RegistryLogins.authority(URI.create("https://hub.local"))),
            () -> Optional.of(DEVICE),
            Optional.empty(),
            DOCKER);
    assertEquals("hub.local:443", RegistryLogins.authority(URI.create("https://hub.local")));
    assertEquals("hub.local:80", RegistryLogins.authority(URI.create("http://hub.local")));
    assertEquals(DEVICE, https.forRegistry("hub.local", false));
    assertEquals(DOCKER, https.forRegistry("hub.local", true));
  }

  @Test
  void beforeEnrollment_theHubsRegistryFallsBack() {
    var notYet =
        new RegistryLogins(
            Optional.of("hub.local:8080"), Optional::empty, Optional.empty(), DOCKER);
    assertEquals(DOCKER, notYet.forRegistry("hub.local:8080", true));
  }

  @Test
  void configured_readsUserAndPasswordFile_orTokenFile() throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cret\n");
    Path token = Files.writeString(dir.resolve("token"), "identity-token\n");

    assertEquals(
        "Credentials[basic user puller]",
        RegistryLogins.configured(Optional.of("puller"), Optional.of(password), Optional.empty())
            .orElseThrow()
            .toString());
    assertEquals(
        "Credentials[basic user <token>]",
        RegistryLogins.configured(Optional.empty(), Optional.empty(), Optional.of(token))
            .orElseThrow()
            .toString());
    assertEquals(
        Optional.empty(),
        RegistryLogins.configured(Optional.empty(), Optional.empty(), Optional.empty()));
  }

  @Test
  void configured_refusesHalfSettings_namingTheProperty() {
    Path file = dir.resolve("f");
    var noPassword =
        assertThrows(
            IllegalStateException.class,
            () -> RegistryLogins.configured(Optional.of("u"), Optional.empty(), Optional.empty()));
    assertEquals(
        "ferry.agent.registry.password-file: required with the other of username/password-file",
        noPassword.getMessage());
    var both =
        assertThrows(
            IllegalStateException.class,
            () ->
                RegistryLogins.configured(Optional.of("u"), Optional.of(file), Optional.of(file)));
    assertEquals(
        "ferry.agent.registry.token-file: set either it or username and password-file, not both",
        both.getMessage());
  }
}
