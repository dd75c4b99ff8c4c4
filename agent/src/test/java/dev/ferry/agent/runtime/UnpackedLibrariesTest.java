package dev.ferry.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnpackedLibrariesTest {
  private static final ClassLoader LOADER = UnpackedLibrariesTest.class.getClassLoader();
  private static final String PLATFORM = UnpackedLibraries.platform();

  @TempDir Path data;

  @Test
  void unpacksThisPlatformsLibrariesFromOnnxRuntimesJar_asTheyLieThere() throws Exception {
    Path dir = data.resolve("onnxruntime/onnxruntime-1.23.2.jar");
    assertEquals(2, UnpackedLibraries.unpack(LOADER, PLATFORM, dir));
    assertEquals(
        List.of("libonnxruntime.so", "libonnxruntime4j_jni.so"), names(dir), "the CPU jar's two");
    try (InputStream packed =
        LOADER.getResourceAsStream("ai/onnxruntime/native/" + PLATFORM + "/libonnxruntime.so")) {
      assertArrayEquals(
          packed.readAllBytes(), Files.readAllBytes(dir.resolve("libonnxruntime.so")));
    }
    assertEquals(List.of("onnxruntime-1.23.2.jar"), names(dir.getParent()), "nothing beside it");
  }

  @Test
  void unpackingAnotherJarsLibraries_removesTheOldOnesAndNothingElse() throws Exception {
    Path old = data.resolve("onnxruntime/onnxruntime-1.22.0.jar");
    Files.createDirectories(old);
    Files.writeString(old.resolve("libonnxruntime.so"), "an older library");
    Path dir = data.resolve("onnxruntime/onnxruntime-1.23.2.jar");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("libonnxruntime.so"), "cut short");

    Path other = Files.createDirectories(data.resolve("onnxruntime/notes"));
    Files.writeString(other.resolve("readme.txt"), "not ONNX Runtime's");

    UnpackedLibraries.unpack(LOADER, PLATFORM, dir);

    assertEquals(List.of("notes", "onnxruntime-1.23.2.jar"), names(data.resolve("onnxruntime")));
    assertTrue(Files.size(dir.resolve("libonnxruntime.so")) > 1 << 20);
  }

  @Test
  void platformTheJarHasNoLibrariesFor_isRefusedAndLeavesNothing() throws Exception {
    Path dir = data.resolve("onnxruntime/onnxruntime-1.23.2.jar");
    var refused =
        assertThrows(
            java.io.IOException.class,
            () -> UnpackedLibraries.unpack(LOADER, "linux-riscv64", dir));
    assertEquals(
        "ONNX Runtime's jar has no libonnxruntime.so for linux-riscv64", refused.getMessage());
    assertEquals(List.of(), names(data.resolve("onnxruntime")));
    assertFalse(Files.exists(dir));
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
