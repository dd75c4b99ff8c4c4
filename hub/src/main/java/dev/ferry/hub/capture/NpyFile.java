package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A captured tensor as a NumPy {@code .npy} file, format version 1.0: the magic {@code \x93NUMPY},
 * the version, a little-endian 2-byte header length, an ASCII Python dict literal (descr,
 * fortran_order, shape) padded with spaces to a 64-byte boundary and ended by a newline, then the
 * raw little-endian elements row-major. Written here because the format is ten lines of
 * documentation (numpy.lib.format) and no maintained Java library writes it.
 */
final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

  private NpyFile() {}

  /**
   * The {@code .npy} bytes of a tensor.
   *
   * @param tensor the captured tensor
   * @return the file content
   */
  static byte[] of(CapturedTensor tensor) {
    byte[] header = header(descr(tensor.datatype()), tensor.shape());
    byte[] data = tensor.data();
    return ByteBuffer.allocate(MAGIC.length + 2 + header.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN)
        .put(MAGIC)
        .putShort((short) header.length)
        .put(header)
        .put(data)
        .array();
  }

  /** The NumPy type string of a capturable datatype. */
  static String descr(Datatype datatype) {
    return switch (datatype) {
      case BOOL -> "|b1";
      case UINT8 -> "|u1";
      case INT8 -> "|i1";
      case INT16 -> "<i2";
      case INT32 -> "<i4";
      case INT64 -> "<i8";
      case FP32 -> "<f4";
      case FP64 -> "<f8";
      default -> throw new IllegalArgumentException("no .npy type for " + datatype);
    };
  }

  private static byte[] header(String descr, List<Long> shape) {
    String dict =
        "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
    int unpadded = MAGIC.length + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    return (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static String tuple(List<Long> shape) {
    String dims = shape.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return "(" + dims + (shape.size() == 1 ? ",)" : ")");
  }
}
