package dev.ferry.agent.trust;

import static dev.ferry.protocol.testing.TestHub.CODEC;
import static dev.ferry.protocol.testing.TestHub.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.release.RevokedRelease;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Signer;
import dev.ferry.protocol.testing.TestHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationStoreTest {
  private final TestHub keys = new TestHub();

  @TempDir Path dir;

  private byte[] list(long version, Signer signer, String type) {
    var entry = new RevokedRelease("resnet", "1.0.3", TestHub.digest("resnet3"), NOW, "NaNs");
    Revocations list = new Revocations(version, NOW, null, List.of(entry));
    return CODEC.encode(signer.sign(type, CODEC.encode(list)));
  }

  private RevocationStore load() {
    return RevocationStore.load(keys::trustRoot, dir, CODEC);
  }

  @Test
  void accept_takesANewerListPersistsItAndIgnoresAnOlderOne() throws Exception {
    RevocationStore store = load();
    assertEquals(Optional.empty(), store.current());
    assertEquals(
        2, store.accept(list(2, keys.release, PayloadTypes.REVOCATIONS)).orElseThrow().version());
    assertTrue(Files.exists(dir.resolve("trust/revocations.json")));

    assertEquals(Optional.empty(), store.accept(list(1, keys.release, PayloadTypes.REVOCATIONS)));
    assertEquals(Optional.empty(), store.accept(list(2, keys.release, PayloadTypes.REVOCATIONS)));
    assertEquals(2, store.current().orElseThrow().version());
    assertEquals(2, load().current().orElseThrow().version());
  }

  @Test
  void accept_refusesAListNotSignedByTheReleaseRole() {
    RevocationStore store = load();
    var error =
        assertThrows(
            UntrustedRevocationsException.class,
            () -> store.accept(list(3, keys.hub, PayloadTypes.REVOCATIONS)));
    assertTrue(
        error.getMessage().startsWith("revocation list is not signed by the release role: "),
        error.getMessage());
    var type =
        assertThrows(
            UntrustedRevocationsException.class,
            () -> store.accept(list(3, keys.release, PayloadTypes.IN_TOTO)));
    assertEquals(
        "revocation list payloadType must be 'application/vnd.ferry.revocations+json', got"
            + " 'application/vnd.in-toto+json'",
        type.getMessage());
    assertEquals(Optional.empty(), store.current());
  }

  @Test
  void load_setsAsideAListThatNoLongerVerifies() throws Exception {
    load().accept(list(2, keys.release, PayloadTypes.REVOCATIONS));
    TestHub rotated = new TestHub();
    assertEquals(Optional.empty(), RevocationStore.load(rotated::trustRoot, dir, CODEC).current());
  }
}
