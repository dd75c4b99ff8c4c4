package dev.ferry.protocol.device;

import java.util.regex.Pattern;

/** The form of a repository reference in a desired state: {@code host[:port]/path}. */
final class Repositories {
  static final Pattern PATTERN =
      Pattern.compile(
          "[A-Za-z0-9.-]+(?::[0-9]{1,5})?/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
              + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  private Repositories() {}
}
