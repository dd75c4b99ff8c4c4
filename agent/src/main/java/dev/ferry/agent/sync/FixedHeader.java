package dev.ferry.agent.sync;

/**
 * An MQTT packet's fixed header as it came: the type-and-flags byte, then the remaining length in 1
 * to 4 bytes of 7 bits each, least significant first.
 *
 * @param encoded the header's bytes
 */
record FixedHeader(byte[] encoded) {
  /** The type of a PUBLISH packet. */
  static final int PUBLISH = 3;

  FixedHeader {
    if (encoded.length < 2 || encoded.length > 5) {
      throw new IllegalArgumentException("a fixed header has 2 to 5 bytes: " + encoded.length);
    }
  }

  /** The packet type, 1 to 14 in a valid packet. */
  int type() {
    return (encoded[0] & 0xFF) >>> 4;
  }

  /** The quality of service of a PUBLISH, 0 to 2 in a valid one. */
  int qos() {
    return (encoded[0] >>> 1) & 3;
  }

  /** The bytes after the fixed header: variable header and payload. */
  int remainingLength() {
    int value = 0;
    for (int i = encoded.length - 1; i > 0; i--) {
      value = (value << 7) | (encoded[i] & 0x7F);
    }
    return value;
  }
}
