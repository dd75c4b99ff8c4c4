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
}
