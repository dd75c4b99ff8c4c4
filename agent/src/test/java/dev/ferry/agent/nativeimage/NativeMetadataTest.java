package dev.ferry.agent.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.agent.store.AgentState;
import dev.ferry.protocol.api.ApiError;
import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.api.RenewRequest;
import dev.ferry.protocol.device.DesiredState;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The native-image metadata in {@code native/} keeps up with the code: every record the agent may
 * bind with Jackson is registered for reflection, and every class the JNI and reflection configs
 * name exists, so a native build does not fail (or fail at run time) on a stale list.
 */
class NativeMetadataTest {
  private static final Path METADATA =
      Path.of("..", "native", "META-INF", "native-image", "dev.ferry", "ferry-agent");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The hub REST records the agent sends and reads: enrollment, renewal and their errors. */
  private static final Set<String> ENROLLMENT_API =
      Set.of(
          ApiError.class.getName(),
          DeviceCredentials.class.getName(),
          EnrollRequest.class.getName(),
          RenewRequest.class.getName());

  private static Set<String> names(String file) throws IOException {
    Set<String> names = new TreeSet<>();
    for (JsonNode entry : JSON.readTree(METADATA.resolve(file).toFile())) {
      names.add(entry.get("name").asText());
    }
    return names;
  }

  /** The records among the classes where a given class was loaded from (a directory or a jar). */
  private static List<String> records(Class<?> anchor, String packagePrefix) throws Exception {
    Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> records = new ArrayList<>();
    if (Files.isDirectory(source)) {
      collect(source, source, packagePrefix, records);
    } else {
      try (FileSystem jar = FileSystems.newFileSystem(source)) {
        Path root = jar.getPath("/");
        collect(root, root, packagePrefix, records);
      }
    }
    return records;
  }

  private static void collect(Path root, Path from, String prefix, List<String> records)
      throws IOException, ClassNotFoundException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        if (name.startsWith(prefix)) {
          Class<?> type = Class.forName(name, false, NativeMetadataTest.class.getClassLoader());
          if (type.isRecord()) {
            records.add(name);
          }
        }
      }
    }
  }

  @Test
  void everyRecordJacksonMayBind_isRegisteredForReflection() throws Exception {
    Set<String> registered = names("reflect-config.json");
    List<String> protocol = records(DesiredState.class, "dev.ferry.protocol.");
    // test helpers, and the hub's REST API (the agent binds only the enrollment records of it),
    // are not in the agent's image
    protocol.removeIf(
        record ->
            record.startsWith("dev.ferry.protocol.testing.")
                || (record.startsWith("dev.ferry.protocol.api.")
                    && !ENROLLMENT_API.contains(record)));
    assertTrue(
        protocol.contains(DesiredState.class.getName()), "the scan finds records: " + protocol);
    List<String> agent = records(AgentState.class, "dev.ferry.agent.");
    assertTrue(
        agent.contains(AgentState.class.getName()), "the scan finds the agent's records: " + agent);
    List<String> missing = new ArrayList<>();
    for (String record : concat(protocol, agent)) {
      if (!registered.contains(record)) {
        missing.add(record);
      }
    }
    assertEquals(List.of(), missing, "add them to native/…/reflect-config.json");
    // every record found is registered; counted against the config, no stale entry is left either
    assertEquals(registeredUnder(registered, "dev.ferry.protocol."), protocol.size(), "protocol");
    assertEquals(registeredUnder(registered, "dev.ferry.agent."), agent.size(), "agent");
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  private static long registeredUnder(Set<String> registered, String prefix) {
    return registered.stream().filter(name -> name.startsWith(prefix)).count();
  }

  @Test
  void everyClassTheConfigsName_exists() throws Exception {
    // ONNX Runtime's JNI library calls back into 12 of its classes, and String
    assertEquals(13, classesThatExist("jni-config.json"), "jni-config.json");
    long ours = registeredUnder(names("reflect-config.json"), "dev.ferry.");
    assertTrue(ours > 0, "reflect-config.json registers Ferry's records");
    // besides Ferry's records: jib-core's 6 JSON templates, Paho's logger and message catalog
    assertEquals(ours + 8, classesThatExist("reflect-config.json"), "reflect-config.json");
  }

  /** Loads every class a config names, failing on the first that does not exist. */
  private static int classesThatExist(String file) throws IOException {
    JsonNode entries = JSON.readTree(METADATA.resolve(file).toFile());
    Set<String> names = names(file);
    assertEquals(entries.size(), names.size(), file + " names a class twice");
    for (String name : names) {
      try {
        Class.forName(name, false, NativeMetadataTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(file + " names " + name + ", which does not exist", e);
      }
    }
    return names.size();
  }

  @Test
  void onnxRuntimesLinuxLibraries_areTheResourcesKept() throws IOException, URISyntaxException {
    String resources = Files.readString(METADATA.resolve("resource-config.json"));
    List<String> platforms = List.of("linux-x64", "linux-aarch64");
    for (String platform : platforms) {
      String folder = "ai/onnxruntime/native/" + platform + "/";
      assertTrue(resources.contains(folder), resources);
      assertTrue(
          ai.onnxruntime.OrtEnvironment.class.getResource("/" + folder + "libonnxruntime4j_jni.so")
              != null,
          "the JNI library lies where the pattern points: " + folder);
    }
    assertEquals(2, platforms.size());
  }

  @Test
  void theProviderProbesModel_isAResourceKept() throws IOException {
    String resources = Files.readString(METADATA.resolve("resource-config.json"));
    assertTrue(resources.contains("dev/ferry/agent/runtime/probe\\\\.onnx"), resources);
    assertTrue(
        dev.ferry.agent.runtime.UsableProviders.class.getResource("probe.onnx") != null,
        "the probe model lies where the pattern points");
  }
}
