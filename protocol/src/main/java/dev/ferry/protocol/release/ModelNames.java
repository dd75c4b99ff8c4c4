package dev.ferry.protocol.release;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.util.regex.Pattern;

/**
 * Naming rules for models and versions. A model name is a valid OCI repository path component so
 * that it maps to a repository; a version is a semantic version (semver.org 2.0.0).
 */
public final class ModelNames {
  /** A model name: lowercase letters and digits, separated by single {@code . _ -}. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

  /** A semantic version, as semver.org gives it. */
  public static final Pattern SEMVER =
      Pattern.compile(
          "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)"
              + "(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");

  private static final int MAX_LENGTH = 128;

  private ModelNames() {}

  /**
   * Checks a model name.
   *
   * @param name the name
   * @param field the field it came from
   * @return the name
   * @throws FieldException naming the field and the value
   */
  public static String requireName(String name, String field) {
    if (Fields.required(name, field).length() > MAX_LENGTH) {
      throw new FieldException(
          field, "must be at most " + MAX_LENGTH + " characters, got " + name.length());
    }
    return Fields.matching(name, NAME, field);
  }

  /**
   * Checks a semantic version.
   *
   * @param version the version
   * @param field the field it came from
   * @return the version
   * @throws FieldException naming the field and the value
   */
  public static String requireVersion(String version, String field) {
    if (Fields.required(version, field).length() > MAX_LENGTH
        || !SEMVER.matcher(version).matches()) {
      throw new FieldException(
          field, "must be a semantic version such as 1.4.0, got " + Fields.show(version));
    }
    return version;
  }
}
