package dev.ferry.protocol.oci;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.protocol.json.Fields;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A sha256 content digest, {@code sha256:<64 lowercase hex>}: the only algorithm Ferry writes or
 * accepts.
 *
 * @param hex the 64 lowercase hex digits
 */
public record Digest(String hex) {
  private static final String PREFIX = "sha256:";
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  /** Checks the hex form. */
  public Digest {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "not a sha256 digest (sha256:<64 lowercase hex>): " + Fields.show(PREFIX + hex));
    }
  }

  /**
   * Parses {@code sha256:<64 lowercase hex>}.
   *
   * @param text the digest string
   * @return the digest
   * @throws IllegalArgumentException naming the value if it is not a sha256 digest
   */
  @JsonCreator
  public static Digest parse(String text) {
    if (text == null || !text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "not a sha256 digest (sha256:<64 lowercase hex>): " + Fields.show(text));
    }
    return new Digest(text.substring(PREFIX.length()));
  }

  /**
   * The digest of some bytes.
   *
   * @param bytes the content
   * @return its sha256 digest
   */
  public static Digest of(byte[] bytes) {
    return ofHash(newSha256().digest(bytes));
  }

  /**
   * The digest from a finished sha256 {@link MessageDigest}.
   *
   * @param sha256 a sha256 digest whose input is complete
   * @return the digest
   */
  public static Digest of(MessageDigest sha256) {
    return ofHash(sha256.digest());
  }

  /**
   * The digest of a file, read as a stream: nothing proportional to its size is held.
   *
   * @param file the file
   * @return its sha256 digest
   * @throws java.io.IOException if the file cannot be read
   */
  public static Digest of(java.nio.file.Path file) throws java.io.IOException {
    MessageDigest sha256 = newSha256();
    try (var in = java.nio.file.Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 20];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
    }
    return of(sha256);
  }

  private static Digest ofHash(byte[] hash) {
    return new Digest(HexFormat.of().formatHex(hash));
  }

  /** A fresh sha256 {@link MessageDigest}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The tag under which the referrers tag schema lists this digest's referrers: {@code
   * sha256-<hex>}.
   */
  public String referrersTag() {
    return "sha256-" + hex;
  }

  /** {@code sha256:<hex>}. */
  @JsonValue
  @Override
  public String toString() {
    return PREFIX + hex;
  }
}
