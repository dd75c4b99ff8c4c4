package dev.ferry.hub.registry;

import dev.ferry.protocol.json.Fields;
import java.util.regex.Pattern;

/**
 * The distribution-spec rules for repository names and tags. Both rules keep a name from leaving
 * the store's directories: no component may start with a dot or an underscore.
 */
final class Names {
  static final int MAX_REPOSITORY_LENGTH = 255;
  static final Pattern REPOSITORY =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  private Names() {}

  static boolean isRepository(String name) {
    return name != null
        && name.length() <= MAX_REPOSITORY_LENGTH
        && REPOSITORY.matcher(name).matches();
  }

  static boolean isTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  static String requireRepository(String name) {
    if (!isRepository(name)) {
      throw new IllegalArgumentException(repositoryRule(name));
    }
    return name;
  }

  static String requireTag(String tag) {
    if (!isTag(tag)) {
      throw new IllegalArgumentException(tagRule(tag));
    }
    return tag;
  }

  static String repositoryRule(String name) {
    return "repository must match "
        + REPOSITORY.pattern()
        + " and be at most "
        + MAX_REPOSITORY_LENGTH
        + " characters: "
        + Fields.show(name);
  }

  static String tagRule(String tag) {
    return "tag must match " + TAG.pattern() + ": " + Fields.show(tag);
  }
}
