package dev.ferry.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployedJvmTest {
  @Test
  void parse_takesTheOptionsBeforeTheJarLessTheArchive_andMallocSettings() {
    DeployedJvm jvm =
        DeployedJvm.parse(
            List.of(
                "[Service]",
                "Environment=QUARKUS_HTTP_HOST=127.0.0.1",
                "Environment=MALLOC_ARENA_MAX=2",
                "ExecStart=/usr/bin/java -XX:+UseSerialGC  -Xmx512m -XX:SharedArchiveFile=app-cds.jsa"
                    + " -Xshare:auto -XX:AOTCache=app.aot -jar quarkus-run.jar --flag"));

    assertEquals(List.of("-XX:+UseSerialGC", "-Xmx512m"), jvm.options());
    assertEquals(Map.of("MALLOC_ARENA_MAX", "2"), jvm.environment());
  }

  @Test
  void parse_refusesAUnitThatDoesNotRunJavaWithAJar() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DeployedJvm.parse(List.of("ExecStart=/opt/ferry/agent.sh -Xmx512m")));
    assertThrows(IllegalArgumentException.class, () -> DeployedJvm.parse(List.of("[Service]")));
  }

  @Test
  void read_theUnitWeShip_givesAHeapLimitAndNoArchive() {
    DeployedJvm jvm = DeployedJvm.read(Services.root().resolve(DeployedJvm.UNIT));

    assertTrue(jvm.options().stream().anyMatch(o -> o.startsWith("-Xmx")), jvm.options()::toString);
    assertTrue(
        jvm.options().stream().noneMatch(o -> o.contains("SharedArchiveFile")),
        jvm.options()::toString);
    assertTrue(jvm.environment().containsKey("MALLOC_ARENA_MAX"), jvm.environment()::toString);
  }
}
