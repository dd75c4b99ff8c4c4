package dev.ferry.hub.packaging;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.ferry.protocol.testing.OnnxModels;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Writes a large {@code y = x·W} ONNX model (opset 17) as a stream: W's raw data goes straight to
 * the file, so a 1 GiB model needs no 1 GiB buffer. For benchmarks.
 */
final class LargeModels {
  private LargeModels() {}

  /**
   * Writes the model.
   *
   * @param path the file
   * @param rows rows of W (and the input width)
   * @param cols columns of W (and the output width)
   */
  static void matMul(Path path, int rows, int cols) throws IOException {
    long rawBytes = (long) rows * cols * 4;
    byte[] tensorHead = tensorHead(rows, cols);
    long tensorLength =
        tensorHead.length + CodedOutputStream.computeTagSize(9) + varintSize(rawBytes) + rawBytes;
    byte[] graphHead = graphHead();
    byte[] graphTail = graphTail(rows, cols);
    long graphLength =
        graphHead.length
            + CodedOutputStream.computeTagSize(5)
            + varintSize(tensorLength)
            + tensorLength
            + graphTail.length;
    try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
      CodedOutputStream out = CodedOutputStream.newInstance(file, 1 << 16);
      out.writeInt64(1, 8);
      out.writeString(2, "ferry-bench");
      out.writeTag(7, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt64NoTag(graphLength);
      out.writeRawBytes(graphHead);
      out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt64NoTag(tensorLength);
      out.writeRawBytes(tensorHead);
      out.writeTag(9, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt64NoTag(rawBytes);
      writeWeights(out, rows, cols);
      out.writeRawBytes(graphTail);
      out.writeTag(8, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      byte[] opset = new OnnxModels.Msg().string(1, "").int64(2, 17).toBytes();
      out.writeUInt32NoTag(opset.length);
      out.writeRawBytes(opset);
      out.flush();
    }
  }

  private static void writeWeights(CodedOutputStream out, int rows, int cols) throws IOException {
    Random random = new Random(rows * 31L + cols);
    ByteBuffer row = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < rows; i++) {
      row.clear();
      for (int j = 0; j < cols; j++) {
        row.putFloat((random.nextInt(9) - 4) / 64f);
      }
      out.writeRawBytes(row.array());
    }
  }

  private static byte[] tensorHead(int rows, int cols) {
    return new OnnxModels.Msg()
        .int64(1, rows)
        .int64(1, cols)
        .int64(2, OnnxModels.FLOAT)
        .string(8, "W")
        .toBytes();
  }

  private static byte[] graphHead() {
    return new OnnxModels.Msg()
        .msg(
            1,
            new OnnxModels.Msg()
                .string(1, "x")
                .string(1, "W")
                .string(2, "y")
                .string(3, "MatMul_y")
                .string(4, "MatMul"))
        .string(2, "large_matmul")
        .toBytes();
  }

  private static byte[] graphTail(int rows, int cols) {
    return new OnnxModels.Msg()
        .msg(11, value("x", List.of(1L, (long) rows)))
        .msg(12, value("y", List.of(1L, (long) cols)))
        .toBytes();
  }

  private static OnnxModels.Msg value(String name, List<Long> dims) {
    OnnxModels.Msg shape = new OnnxModels.Msg();
    dims.forEach(d -> shape.msg(1, new OnnxModels.Msg().int64(1, d)));
    OnnxModels.Msg tensorType = new OnnxModels.Msg().int64(1, OnnxModels.FLOAT).msg(2, shape);
    return new OnnxModels.Msg().string(1, name).msg(2, new OnnxModels.Msg().msg(1, tensorType));
  }

  private static int varintSize(long value) {
    return CodedOutputStream.computeUInt64SizeNoTag(value);
  }
}
