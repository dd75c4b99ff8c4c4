package dev.ferry.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** CI must run exactly what the README tells a user to run. */
class ReadmeCommandsTest {
  private static final Pattern SECTION =
      Pattern.compile("(?m)^## (\\w+)\\n(?:(?!^## ).*\\n)*?```\\n(.*)\\n```");

  @Test
  void readme_namesExactlyARunAndATestCommand_andCiRunsTheTestCommand() throws IOException {
    String readme = Files.readString(Services.root().resolve("README.md"));
    Matcher sections = SECTION.matcher(readme);
    List<String> names = new java.util.ArrayList<>();
    String test = null;
    while (sections.find()) {
      names.add(sections.group(1));
      if (sections.group(1).equals("Test")) {
        test = sections.group(2);
      }
    }
    assertEquals(List.of("Run", "Test"), names);
    List<String> ci = Files.readAllLines(Services.root().resolve(".ci/run"));
    assertEquals(test, ci.get(ci.size() - 1));
  }
}
