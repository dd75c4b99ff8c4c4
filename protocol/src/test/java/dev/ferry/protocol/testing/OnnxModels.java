package dev.ferry.protocol.testing;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Writes small ONNX models for tests with the field numbers of onnx.proto (IR 8, opset 17). */
public final class OnnxModels {
  public static final int FLOAT = 1;
  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int UINT16 = 4;
  public static final int INT16 = 5;
  public static final int INT32 = 6;
  public static final int INT64 = 7;
  public static final int BOOL = 9;
  public static final int FLOAT16 = 10;
  public static final int DOUBLE = 11;
  public static final int BFLOAT16 = 16;

  /** A dimension that {@link #matMulAdd} leaves dynamic, named {@code batch}. */
  public static final long DYNAMIC = -1;

  private OnnxModels() {}

  /** The weights of {@code y = x·W + b}: multiples of 1/4 and 1/8, so float sums are exact. */
  public record Linear(float[][] w, float[] b) {
    public double[] apply(double[] x) {
      double[] y = new double[b.length];
      for (int j = 0; j < b.length; j++) {
        y[j] = b[j];
        for (int i = 0; i < w.length; i++) {
          y[j] += x[i] * w[i][j];
        }
      }
      return y;
    }
  }

  /**
   * {@code y = x·W + b} with x of shape [batch, rows] and y of [batch, cols]; {@code batch} is
   * {@link #DYNAMIC} for a dimension named {@code batch}.
   */
  public static Linear matMulAdd(
      Path path, String input, long batch, int rows, int cols, long seed) {
    Random random = new Random(seed);
    float[][] w = new float[rows][cols];
    float[] b = new float[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        w[i][j] = (random.nextInt(9) - 4) / 4f;
      }
    }
    for (int j = 0; j < cols; j++) {
      b[j] = (random.nextInt(9) - 4) / 8f;
    }
    Object dim = batch == DYNAMIC ? "batch" : batch;
    Msg graph =
        new Msg()
            .msg(1, node("MatMul", List.of(input, "W"), "xw"))
            .msg(1, node("Add", List.of("xw", "B"), "y"))
            .string(2, "matmul_add")
            .msg(5, floatInitializer("W", List.of((long) rows, (long) cols), flatten(w)))
            .msg(5, floatInitializer("B", List.of((long) cols), b))
            .msg(11, tensorValue(input, FLOAT, List.of(dim, (long) rows)))
            .msg(12, tensorValue("y", FLOAT, List.of(dim, (long) cols)));
    write(path, model(graph, "", 17));
    return new Linear(w, b);
  }

  /**
   * The model of {@link #matMulAdd} with the same weights stored as FP16 initializers, each cast to
   * FP32 by a {@code Cast} node: an FP16 variant with the FP32 inputs and outputs of the original.
   * The weights (multiples of 1/8 in [-1, 1]) are exact in FP16, so both compute the same outputs.
   */
  public static Linear matMulAddHalf(
      Path path, String input, long batch, int rows, int cols, long seed) {
    Linear linear = matMulAdd(path, input, batch, rows, cols, seed);
    Object dim = batch == DYNAMIC ? "batch" : batch;
    Msg graph =
        new Msg()
            .msg(1, cast("W16", "W", FLOAT))
            .msg(1, cast("B16", "B", FLOAT))
            .msg(1, node("MatMul", List.of(input, "W"), "xw"))
            .msg(1, node("Add", List.of("xw", "B"), "y"))
            .string(2, "matmul_add_fp16")
            .msg(5, halfInitializer("W16", List.of((long) rows, (long) cols), flatten(linear.w())))
            .msg(5, halfInitializer("B16", List.of((long) cols), linear.b()))
            .msg(11, tensorValue(input, FLOAT, List.of(dim, (long) rows)))
            .msg(12, tensorValue("y", FLOAT, List.of(dim, (long) cols)));
    write(path, model(graph, "", 17));
    return linear;
  }

  /** {@code y = Identity(x)} of one element type; dims are Long values or String names. */
  public static void identity(Path path, int elemType, List<Object> dims) {
    Msg graph =
        new Msg()
            .msg(1, node("Identity", List.of("x"), "y"))
            .string(2, "identity")
            .msg(11, tensorValue("x", elemType, dims))
            .msg(12, tensorValue("y", elemType, dims));
    write(path, model(graph, "", 17));
  }

  /** {@code c = a + b} on FP32 vectors of two elements. */
  public static void add(Path path) {
    Msg graph =
        new Msg()
            .msg(1, node("Add", List.of("a", "b"), "c"))
            .string(2, "add")
            .msg(11, tensorValue("a", FLOAT, List.of(2L)))
            .msg(11, tensorValue("b", FLOAT, List.of(2L)))
            .msg(12, tensorValue("c", FLOAT, List.of(2L)));
    write(path, model(graph, "", 17));
  }

  /** {@code c = a + b} on FP32 vectors whose lengths are dynamic and may differ: fails at run. */
  public static void addDynamic(Path path) {
    Msg graph =
        new Msg()
            .msg(1, node("Add", List.of("a", "b"), "c"))
            .string(2, "add_dynamic")
            .msg(11, tensorValue("a", FLOAT, List.of("n")))
            .msg(11, tensorValue("b", FLOAT, List.of("m")))
            .msg(12, tensorValue("c", FLOAT, List.of("k")));
    write(path, model(graph, "", 17));
  }

  /**
   * {@code c = a + b} on FP32 vectors whose length is the dimension {@code n} of both: inputs of
   * different lengths fail at run in ONNX Runtime's broadcast.
   */
  public static void addShared(Path path) {
    Msg graph =
        new Msg()
            .msg(1, node("Add", List.of("a", "b"), "c"))
            .string(2, "add_shared")
            .msg(11, tensorValue("a", FLOAT, List.of("n")))
            .msg(11, tensorValue("b", FLOAT, List.of("n")))
            .msg(12, tensorValue("c", FLOAT, List.of("n")));
    write(path, model(graph, "", 17));
  }

  /**
   * {@code y = Gather(table, i)} over a 4-element FP32 table {1, 2, 3, 4} with INT64 indices of
   * dynamic length: an index outside [-4, 3] fails in ONNX Runtime with INVALID_ARGUMENT.
   */
  public static void gather(Path path) {
    Msg graph =
        new Msg()
            .msg(1, node("Gather", List.of("table", "i"), "y"))
            .string(2, "gather")
            .msg(5, floatInitializer("table", List.of(4L), new float[] {1, 2, 3, 4}))
            .msg(11, tensorValue("i", INT64, List.of("n")))
            .msg(12, tensorValue("y", FLOAT, List.of("n")));
    write(path, model(graph, "", 17));
  }

  /**
   * {@code c = a + W} on FP32 [2], W an initializer whose data is in a file {@code location} beside
   * the model ({@code external_data}); with {@code inConstant} W is instead the tensor attribute of
   * a Constant node inside an If's then-branch, deeper in the graph.
   */
  public static void externalData(Path path, String location, boolean inConstant) {
    Msg w =
        new Msg()
            .int64(1, 2)
            .int64(2, FLOAT)
            .string(8, "W")
            .msg(13, new Msg().string(1, "location").string(2, location))
            .int64(14, 1);
    Msg graph = new Msg().msg(1, node("Add", List.of("a", "W"), "c")).string(2, "external");
    if (inConstant) {
      Msg constant = node("Constant", List.of(), "W").msg(5, tensorAttribute("value", w));
      Msg branch = new Msg().msg(1, constant).string(2, "then");
      Msg ifNode =
          node("If", List.of("a"), "unused")
              .msg(5, new Msg().string(1, "then_branch").msg(6, branch));
      graph =
          new Msg()
              .msg(1, ifNode)
              .msg(1, node("Add", List.of("a", "a"), "c"))
              .string(2, "external");
    } else {
      graph.msg(5, w);
    }
    graph
        .msg(11, tensorValue("a", FLOAT, List.of(2L)))
        .msg(12, tensorValue("c", FLOAT, List.of(2L)));
    write(path, model(graph, "", 17));
  }

  private static Msg tensorAttribute(String name, Msg tensor) {
    return new Msg().string(1, name).msg(5, tensor).int64(20, 4);
  }

  /** Identity on FP32 [2] importing {@code ai.onnx.ml} 3 before the default domain as "ai.onnx". */
  public static void importsTwoDomains(Path path, int defaultOpset) {
    Msg graph =
        new Msg()
            .msg(1, node("Identity", List.of("x"), "y"))
            .string(2, "identity")
            .msg(11, tensorValue("x", FLOAT, List.of(2L)))
            .msg(12, tensorValue("y", FLOAT, List.of(2L)));
    Msg model =
        new Msg()
            .int64(1, 8)
            .string(2, "ferry-tests")
            .msg(8, new Msg().string(1, "ai.onnx.ml").int64(2, 3))
            .msg(7, graph)
            .msg(8, new Msg().string(1, "ai.onnx").int64(2, defaultOpset));
    write(path, model);
  }

  /** {@code n = SequenceLength(s)}: a model whose input is a sequence of FP32 tensors. */
  public static void sequenceInput(Path path) {
    Msg tensorType = new Msg().msg(1, new Msg().int64(1, FLOAT));
    Msg sequenceType = new Msg().msg(4, new Msg().msg(1, tensorType));
    Msg graph =
        new Msg()
            .msg(1, node("SequenceLength", List.of("s"), "n"))
            .string(2, "sequence_length")
            .msg(11, new Msg().string(1, "s").msg(2, sequenceType))
            .msg(12, tensorValue("n", INT64, List.of()));
    write(path, model(graph, "", 17));
  }

  private static Msg model(Msg graph, String domain, long opset) {
    return new Msg()
        .int64(1, 8)
        .string(2, "ferry-tests")
        .msg(7, graph)
        .msg(8, new Msg().string(1, domain).int64(2, opset));
  }

  private static Msg node(String op, List<String> inputs, String output) {
    Msg node = new Msg();
    inputs.forEach(input -> node.string(1, input));
    return node.string(2, output).string(3, op + "_" + output).string(4, op);
  }

  private static Msg tensorValue(String name, int elemType, List<Object> dims) {
    Msg shape = new Msg();
    for (Object dim : dims) {
      shape.msg(
          1,
          dim instanceof String param
              ? new Msg().string(2, param)
              : new Msg().int64(1, (Long) dim));
    }
    Msg tensorType = new Msg().int64(1, elemType).msg(2, shape);
    return new Msg().string(1, name).msg(2, new Msg().msg(1, tensorType));
  }

  private static Msg floatInitializer(String name, List<Long> dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      raw.putFloat(value);
    }
    Msg tensor = new Msg();
    dims.forEach(dim -> tensor.int64(1, dim));
    return tensor.int64(2, FLOAT).string(8, name).bytes(9, raw.array());
  }

  /** A {@code Cast} node; attribute {@code to} is an INT (type 2) attribute. */
  private static Msg cast(String input, String output, int to) {
    Msg attribute = new Msg().string(1, "to").int64(3, to).int64(20, 2);
    return node("Cast", List.of(input), output).msg(5, attribute);
  }

  private static Msg halfInitializer(String name, List<Long> dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      raw.putShort(half(value));
    }
    Msg tensor = new Msg();
    dims.forEach(dim -> tensor.int64(1, dim));
    return tensor.int64(2, FLOAT16).string(8, name).bytes(9, raw.array());
  }

  /** IEEE half of a float that is zero or normal in half precision, mantissa truncated. */
  static short half(float value) {
    int bits = Float.floatToIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    if ((bits & 0x7fffffff) == 0) {
      return (short) sign;
    }
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    int mantissa = (bits >>> 13) & 0x3ff;
    return (short) (sign | exponent << 10 | mantissa);
  }

  private static float[] flatten(float[][] matrix) {
    float[] flat = new float[matrix.length * matrix[0].length];
    for (int i = 0; i < matrix.length; i++) {
      System.arraycopy(matrix[i], 0, flat, i * matrix[i].length, matrix[i].length);
    }
    return flat;
  }

  private static void write(Path path, Msg model) {
    try {
      Files.write(path, model.toBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A protobuf message under construction. */
  public static final class Msg {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    public Msg int64(int field, long value) {
      return write(() -> out.writeInt64(field, value));
    }

    public Msg string(int field, String value) {
      return write(() -> out.writeString(field, value));
    }

    public Msg bytes(int field, byte[] value) {
      return write(() -> out.writeByteArray(field, value));
    }

    public Msg msg(int field, Msg value) {
      return bytes(field, value.toBytes());
    }

    public byte[] toBytes() {
      write(out::flush);
      return bytes.toByteArray();
    }

    private Msg write(IoAction action) {
      try {
        action.run();
        return this;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }
}
