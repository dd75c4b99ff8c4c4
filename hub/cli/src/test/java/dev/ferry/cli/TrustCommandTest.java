package dev.ferry.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.release.ReleasePredicate;
import dev.ferry.protocol.release.ReleaseStatement;
import dev.ferry.protocol.release.Revocations;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.PayloadTypes;
import dev.ferry.protocol.signing.Role;
import dev.ferry.protocol.signing.TrustRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry trust} and {@code ferry release sign}: the key ceremony, offline. */
class TrustCommandTest {
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
  private static final JsonCodec CODEC = new JsonCodec();

  @TempDir Path dir;
  private Clock saved;

  private record Result(int code, String out, String err) {}

  @BeforeEach
  void fixTheClock() {
    saved = TrustCommand.clock;
    TrustCommand.clock = Clock.fixed(NOW, ZoneOffset.UTC);
  }

  @AfterEach
  void restore() {
    TrustCommand.clock = saved;
  }

  private static Result ferry(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ferry.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void init_writesTwoOfThreeRootKeysAReleaseAndAHubKeyAndRootOne() throws IOException {
    Path keys = dir.resolve("keys");
    Result init =
        ferry("trust", "init", "--keys", "3", "--threshold", "2", "--out", keys.toString());
    assertEquals(0, init.code(), init.err());

    TrustRoot root = read(keys.resolve("root-1.json"));
    assertEquals(1, root.version());
    assertEquals(Instant.parse("2027-12-04T10:00:00Z"), root.expiresAt());
    assertEquals(2, root.roles().get("root").threshold());
    assertEquals(
        List.of(3, 1, 1),
        Stream.of("root", "release", "hub").map(r -> root.roles().get(r).keyids().size()).toList());
    assertEquals(5, pemFiles(keys).size());
    for (Path pem : pemFiles(keys)) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pem)));
    }
    assertTrue(
        init.out()
            .startsWith(
                keys.resolve("root-1.json")
                    + ": root version 1, expires 2027-12-04T10:00:00Z\n  root     2 of 3: "),
        init.out());
  }

  @Test
  void init_refusesAThresholdAboveTheKeyCount() {
    Result init =
        ferry("trust", "init", "--keys", "2", "--threshold", "3", "--out", dir.toString());
    assertEquals(2, init.code());
    assertTrue(
        init.err().startsWith("--threshold must be between 1 and --keys (2), got 3\n"), init.err());
  }

  @Test
  void rotate_replacesRootAndReleaseKeys_signedByBothThresholds() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--keys", "3", "--threshold", "2", "--out", keys.toString());
    Path next = dir.resolve("root-2.json");
    Result rotate =
        ferry(
            "trust",
            "rotate",
            "--root",
            keys.toString(),
            "--current",
            keys.resolve("root-1.json").toString(),
            "--new-root-keys",
            "3",
            "--threshold",
            "2",
            "--new-release-key",
            "--expires",
            "P30D",
            "--out",
            next.toString());
    assertEquals(0, rotate.code(), rotate.err());

    TrustRoot v1 = read(keys.resolve("root-1.json"));
    TrustRoot v2 = v1.verifyNext(CODEC.decode(Files.readAllBytes(next), Envelope.class), CODEC);
    assertEquals(Instant.parse("2027-01-03T10:00:00Z"), v2.expiresAt());
    assertEquals(v1.roles().get("hub"), v2.roles().get("hub"));
    assertTrue(!v1.roles().get("release").equals(v2.roles().get("release")));
    assertTrue(
        v2.roles().get("root").keyids().stream()
            .noneMatch(v1.roles().get("root").keyids()::contains));
    assertEquals(9, pemFiles(keys).size());
  }

  @Test
  void rotate_refusesWhenFewerThanTheOldThresholdOfRootKeysIsAtHand() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--keys", "3", "--threshold", "2", "--out", keys.toString());
    TrustRoot v1 = read(keys.resolve("root-1.json"));
    for (String id : v1.roles().get("root").keyids().subList(0, 2)) {
      Files.delete(keys.resolve("root-" + id.substring(0, 12) + ".pem"));
    }
    Result rotate =
        ferry(
            "trust",
            "rotate",
            "--root",
            keys.toString(),
            "--current",
            keys.resolve("root-1.json").toString(),
            "--new-hub-key",
            "--out",
            dir.resolve("root-2.json").toString());
    assertEquals(1, rotate.code());
    assertEquals(
        "ferry: root version 2 cannot be signed with the keys in "
            + keys
            + ": the next root must be signed by a threshold of root version 1's root keys: root"
            + " envelope: 1 of 2 required signatures verified (unknown key ids [], bad signatures"
            + " from [])\n",
        rotate.err());
    assertTrue(Files.notExists(dir.resolve("root-2.json")));
  }

  @Test
  void show_printsTheRolesOfAVerifiedRoot_andRefusesATamperedOne() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--out", keys.toString(), "--expires", "P1D");
    Path file = keys.resolve("root-1.json");
    TrustRoot root = read(file);
    Result show = ferry("trust", "show", file.toString());
    assertEquals(0, show.code(), show.err());
    assertEquals(
        file
            + ": root version 1, expires 2026-12-05T10:00:00Z\n"
            + "  root     1 of 1: "
            + root.roles().get("root").keyids().get(0)
            + "\n"
            + "  release  1 of 1: "
            + root.roles().get("release").keyids().get(0)
            + "\n"
            + "  hub      1 of 1: "
            + root.roles().get("hub").keyids().get(0)
            + "\n",
        show.out());

    Envelope signed = CODEC.decode(Files.readAllBytes(file), Envelope.class);
    byte[] forged = CODEC.encode(root.next(null));
    Envelope tampered =
        new Envelope(
            signed.payloadType(),
            java.util.Base64.getEncoder().encodeToString(forged),
            signed.signatures());
    Files.write(file, CODEC.encode(tampered));
    Result refused = ferry("trust", "show", file.toString());
    assertEquals(1, refused.code());
    assertTrue(
        refused
            .err()
            .startsWith(
                "ferry: "
                    + file
                    + " is not a signed trust root: root envelope: 0 of 1 required signatures"
                    + " verified"),
        refused.err());
  }

  @Test
  void releaseSign_signsAStatementWithTheReleaseKeyTheRootNames() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--out", keys.toString());
    TrustRoot root = read(keys.resolve("root-1.json"));
    String releaseId = root.roles().get("release").keyids().get(0);
    Digest digest = Digest.of("x".getBytes(StandardCharsets.UTF_8));
    ReleaseStatement statement =
        ReleaseStatement.of(
            "hub:8080/models/detector",
            digest,
            ReleasePredicate.lasting("detector", "1.2.0", 3, NOW, digest, digest));
    Path unsigned = dir.resolve("statement.json");
    Files.write(unsigned, CODEC.encode(statement));
    Path out = dir.resolve("statement.dsse.json");

    Result sign =
        ferry(
            "release",
            "sign",
            unsigned.toString(),
            "--key",
            keys.resolve("release-" + releaseId.substring(0, 12) + ".pem").toString(),
            "--out",
            out.toString());
    assertEquals(0, sign.code(), sign.err());
    assertEquals(out + ": detector@1.2.0 signed by release key " + releaseId + "\n", sign.out());
    byte[] verified =
        root.verifier(Role.RELEASE)
            .verify(CODEC.decode(Files.readAllBytes(out), Envelope.class), PayloadTypes.IN_TOTO);
    assertEquals(statement, CODEC.decode(verified, ReleaseStatement.class));
  }

  @Test
  void releaseSign_withAKeyNamedForAnotherRole_signsButWarns() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--out", keys.toString());
    String hubId = read(keys.resolve("root-1.json")).roles().get("hub").keyids().get(0);
    Path hubKey = keys.resolve("hub-" + hubId.substring(0, 12) + ".pem");
    Path unsigned =
        Files.write(
            dir.resolve("revocations.json"),
            CODEC.encode(new Revocations(4, NOW, null, List.of())));
    Path out = dir.resolve("revocations.dsse.json");

    Result sign =
        ferry(
            "release", "sign", unsigned.toString(), "--key", hubKey.toString(), "--out", "" + out);
    assertEquals(0, sign.code(), sign.err());
    assertEquals(
        "ferry: warning: "
            + hubKey
            + " is named as a hub key, not a release key: the hub takes only a signature of its"
            + " newest root's release keys\n",
        sign.err());
  }

  @Test
  void releaseSign_signsARevocationListByteForByte() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--out", keys.toString());
    TrustRoot root = read(keys.resolve("root-1.json"));
    String releaseId = root.roles().get("release").keyids().get(0);
    byte[] list =
        (new String(CODEC.encode(new Revocations(4, NOW, null, List.of())), StandardCharsets.UTF_8)
                + "\n")
            .getBytes(StandardCharsets.UTF_8);
    Path unsigned = Files.write(dir.resolve("revocations.json"), list);
    Path out = dir.resolve("revocations.dsse.json");

    Result sign =
        ferry(
            "release",
            "sign",
            unsigned.toString(),
            "--key",
            keys.resolve("release-" + releaseId.substring(0, 12) + ".pem").toString(),
            "--out",
            out.toString());
    assertEquals(0, sign.code(), sign.err());
    assertEquals(
        out + ": revocation list version 4 signed by release key " + releaseId + "\n", sign.out());
    byte[] verified =
        root.verifier(Role.RELEASE)
            .verify(
                CODEC.decode(Files.readAllBytes(out), Envelope.class), PayloadTypes.REVOCATIONS);
    assertArrayEquals(list, verified);
  }

  @Test
  void releaseSign_refusesWhatIsNeitherAStatementNorAList() throws IOException {
    Path keys = dir.resolve("keys");
    ferry("trust", "init", "--out", keys.toString());
    Path unsigned = Files.writeString(dir.resolve("other.json"), "{\"version\":1}");
    Path key;
    try (Stream<Path> files = Files.list(keys)) {
      key = files.filter(f -> f.getFileName().toString().startsWith("release-")).findFirst().get();
    }
    Result sign =
        ferry(
            "release",
            "sign",
            unsigned.toString(),
            "--key",
            key.toString(),
            "--out",
            dir.resolve("x").toString());
    assertEquals(1, sign.code());
    assertTrue(
        sign.err()
            .startsWith(
                "ferry: " + unsigned + " is neither a release statement nor a revocation list: "),
        sign.err());
  }

  private static TrustRoot read(Path file) throws IOException {
    return TrustRoot.selfSigned(CODEC.decode(Files.readAllBytes(file), Envelope.class), CODEC);
  }

  private static List<Path> pemFiles(Path keys) throws IOException {
    try (Stream<Path> files = Files.list(keys)) {
      return files.filter(f -> f.toString().endsWith(".pem")).toList();
    }
  }
}
