package dev.ferry.hub.registry;

import dev.ferry.protocol.json.Fields;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a blob, from a {@code Range} header: {@code bytes=N-}, {@code bytes=N-M} or
 * {@code bytes=-N} (the last N).
 *
 * @param first the first byte, inclusive
 * @param last the last byte, inclusive
 */
record ByteRange(long first, long last) {
  private static final Pattern SINGLE = Pattern.compile("bytes=([0-9]{1,18})?-([0-9]{1,18})?");

  /** The number of bytes in the range. */
  long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value for a blob of {@code size} bytes. */
  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  /**
   * The range a header asks for in a blob of {@code size} bytes. Empty when there is no header or
   * one this registry ignores as RFC 9110 allows (malformed, several ranges): the whole blob is
   * sent.
   *
   * @throws DistributionException RANGE_INVALID if no byte of the range is in the blob
   */
  static Optional<ByteRange> parse(String header, long size) {
    Matcher m = header == null ? null : SINGLE.matcher(header.strip());
    if (m == null || !m.matches() || (m.group(1) == null && m.group(2) == null)) {
      return Optional.empty();
    }
    if (m.group(1) == null) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0 || size == 0) {
        throw unsatisfiable(header, size);
      }
      return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2) == null ? Long.MAX_VALUE : Long.parseLong(m.group(2));
    if (last < first) {
      return Optional.empty();
    }
    if (first >= size) {
      throw unsatisfiable(header, size);
    }
    return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
  }

  private static DistributionException unsatisfiable(String header, long size) {
    return new DistributionException(
        ErrorCode.RANGE_INVALID,
        "range " + Fields.show(header) + " is outside the blob of " + size + " bytes",
        Map.of("range", header, "size", Long.toString(size)),
        Map.of("Content-Range", "bytes */" + size));
  }
}
