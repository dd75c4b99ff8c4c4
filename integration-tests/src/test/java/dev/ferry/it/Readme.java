package dev.ferry.it;

import dev.ferry.protocol.testing.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The commands the README gives a user: the first code block of each level-2 section. */
final class Readme {
  private static final Pattern SECTION =
      Pattern.compile("(?m)^## (\\w+)\\n(?:(?!^## ).*\\n)*?```\\n(.*)\\n```");

  private Readme() {}

  /** Section name → its one-line command, for the sections that have one, in order. */
  static Map<String, String> commands() throws IOException {
    String readme = Files.readString(Services.root().resolve("README.md"));
    Matcher sections = SECTION.matcher(readme);
    Map<String, String> commands = new LinkedHashMap<>();
    while (sections.find()) {
      commands.put(sections.group(1), sections.group(2));
    }
    return commands;
  }
}
