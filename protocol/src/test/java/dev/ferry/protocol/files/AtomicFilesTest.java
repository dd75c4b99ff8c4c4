package dev.ferry.protocol.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names(Path in) throws IOException {
    try (Stream<Path> files = Files.list(in)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void write_createsTheDirectoryAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("a/b/state.json");

    AtomicFiles.write(file, bytes("one"));

    assertArrayEquals(bytes("one"), Files.readAllBytes(file));
    assertEquals(List.of("state.json"), names(file.getParent()));
  }

  @Test
  void write_leavesTheFileReadableByItsOwnerOnly() throws IOException {
    Path file = dir.resolve("keys/device.key");
    AtomicFiles.write(file, bytes("secret"));
    assertEquals(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(file));
  }

  @Test
  void writePublic_leavesTheFileReadableByAll() throws IOException {
    Path file = dir.resolve("keys/devices.crl.pem");
    AtomicFiles.writePublic(file, bytes("crl"));
    AtomicFiles.writePublic(file, bytes("newer crl"));
    assertEquals(
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"),
        Files.getPosixFilePermissions(file));
    assertArrayEquals(bytes("newer crl"), Files.readAllBytes(file));
  }

  @Test
  void write_replacesTheOldContent() throws IOException {
    Path file = dir.resolve("tag");
    AtomicFiles.write(file, bytes("a much longer old content"));

    AtomicFiles.write(file, bytes("new"));

    assertArrayEquals(bytes("new"), Files.readAllBytes(file));
    assertEquals(List.of("tag"), names(dir));
  }

  @Test
  void touch_createsAnEmptyMarkerOnceAndKeepsIt() throws IOException {
    Path marker = dir.resolve("links/abc");
    AtomicFiles.touch(marker);
    Files.writeString(marker, "kept");

    AtomicFiles.touch(marker);

    assertEquals("kept", Files.readString(marker));
  }

  @Test
  void move_renamesOverTheTarget() throws IOException {
    Path source = Files.writeString(dir.resolve("incoming"), "blob");
    Path target = Files.writeString(dir.resolve("blob"), "old");
    AtomicFiles.force(source);

    AtomicFiles.move(source, target);

    assertEquals("blob", Files.readString(target));
    assertFalse(Files.exists(source));
  }

  @Test
  void force_refusesAMissingFile() {
    Path missing = dir.resolve("missing");
    var error = assertThrows(NoSuchFileException.class, () -> AtomicFiles.force(missing));
    assertEquals(missing.toString(), error.getMessage());
  }

  @Test
  void deleteLeftovers_removesTheTemporaryFilesOfACrashedWriteOnly() throws IOException {
    Path file = Files.writeString(dir.resolve("state.json"), "{}");
    Files.writeString(dir.resolve(".state.json.123.tmp"), "{\"half");
    Files.writeString(dir.resolve("state.json.tmp"), "{\"half");
    Files.writeString(dir.resolve(".other.json.1.tmp"), "x");
    Files.writeString(dir.resolve("state.json.corrupt"), "x");

    assertEquals(2, AtomicFiles.deleteLeftovers(file));

    assertEquals(List.of(".other.json.1.tmp", "state.json", "state.json.corrupt"), names(dir));
  }

  @Test
  void deleteLeftovers_ofAFileInAMissingDirectory_isNothing() throws IOException {
    assertEquals(0, AtomicFiles.deleteLeftovers(dir.resolve("none/state.json")));
    assertTrue(Files.isDirectory(dir));
  }
}
