package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CI must run exactly what the README tells a user to run. */
class ReadmeCommandsTest {
  @Test
  void readme_namesExactlyARunAndATestCommand_andCiRunsTheTestCommand() throws IOException {
    Map<String, String> commands = Readme.commands();
    assertEquals(List.of("Run", "Test"), List.copyOf(commands.keySet()));
    List<String> ci = Files.readAllLines(Services.root().resolve(".ci/run"));
    assertEquals(commands.get("Test"), ci.get(ci.size() - 1));
  }
}
