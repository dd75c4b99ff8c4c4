package dev.ferry.protocol.release;

/** Tensor element types, named as the Open Inference Protocol (KServe V2) names them. */
public enum Datatype {
  /** Boolean. */
  BOOL,
  /** Unsigned 8-bit integer. */
  UINT8,
  /** Unsigned 16-bit integer. */
  UINT16,
  /** Unsigned 32-bit integer. */
  UINT32,
  /** Unsigned 64-bit integer. */
  UINT64,
  /** Signed 8-bit integer. */
  INT8,
  /** Signed 16-bit integer. */
  INT16,
  /** Signed 32-bit integer. */
  INT32,
  /** Signed 64-bit integer. */
  INT64,
  /** IEEE half precision float. */
  FP16,
  /** IEEE single precision float. */
  FP32,
  /** IEEE double precision float. */
  FP64,
  /** bfloat16. */
  BF16,
  /** Variable-length bytes, carried as strings. */
  BYTES;

  /** Whether elements are numbers in JSON. */
  public boolean isNumeric() {
    return this != BOOL && this != BYTES;
  }

  /**
   * Bytes per element in the little-endian layout of the binary tensor data extension and of raw
   * golden tensors: 1 for BOOL (0 or 1), UINT8 and INT8, 2 for the 16-bit types, 4 for the 32-bit
   * ones, 8 for the 64-bit ones; 0 for BYTES, whose elements vary in size.
   */
  public int elementBytes() {
    return switch (this) {
      case BOOL, UINT8, INT8 -> 1;
      case UINT16, INT16, FP16, BF16 -> 2;
      case UINT32, INT32, FP32 -> 4;
      case UINT64, INT64, FP64 -> 8;
      case BYTES -> 0;
    };
  }

  /** The smallest whole number an integer datatype holds (0 for the others). */
  public long minWhole() {
    return switch (this) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      default -> 0;
    };
  }

  /** {@code [min, max]} of an integer datatype, for messages. */
  public String wholeRange() {
    return "[" + minWhole() + ", " + maxWhole() + "]";
  }

  /**
   * The largest whole number an integer datatype holds, as far as a Java long reaches (UINT64's
   * upper half does not); {@link Long#MAX_VALUE} for the others.
   */
  public long maxWhole() {
    return switch (this) {
      case INT8 -> Byte.MAX_VALUE;
      case UINT8 -> 255;
      case INT16 -> Short.MAX_VALUE;
      case UINT16 -> 65_535;
      case INT32 -> Integer.MAX_VALUE;
      case UINT32 -> 4_294_967_295L;
      default -> Long.MAX_VALUE;
    };
  }
}
