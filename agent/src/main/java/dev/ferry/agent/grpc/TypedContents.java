package dev.ferry.agent.grpc;

import com.google.protobuf.ByteString;
import dev.ferry.agent.grpc.v2.GrpcPredictV2.InferTensorContents;
import dev.ferry.agent.serve.FieldInput;
import dev.ferry.agent.serve.InvalidRequestException;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.Elements;
import dev.ferry.protocol.release.Datatype;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Tensors in {@code InferTensorContents}, the protocol's typed form: {@code bool_contents} for
 * BOOL, {@code int_contents} for INT8, INT16 and INT32, {@code uint_contents} for UINT8, {@code
 * int64_contents}, {@code fp32_contents}, {@code fp64_contents}, {@code bytes_contents} (UTF-8) for
 * BYTES. FP16 and BF16 have no typed form: they travel raw.
 */
final class TypedContents {
  static final String FIELD = "contents";

  private TypedContents() {}

  /** Whether a datatype has a typed form. */
  static boolean holds(Datatype datatype) {
    return datatype != Datatype.FP16 && datatype != Datatype.BF16;
  }

  /** An input's elements from its contents, each checked against the datatype's range. */
  static ArrayTensor read(FieldInput input, InferTensorContents contents) {
    Object elements =
        switch (input.datatype()) {
          case FP32 -> floats(contents);
          case FP64 -> doubles(contents);
          case BOOL -> bools(contents);
          case INT8, INT16, INT32 -> ints(input, contents);
          case UINT8 -> unsignedBytes(input, contents);
          case INT64 -> longs(contents);
          case BYTES -> strings(input, contents);
          default ->
              throw new InvalidRequestException(
                  input.what()
                      + " of "
                      + input.datatype()
                      + " has no typed contents in the protocol; send it in raw_input_contents");
        };
    return input.elements(elements, FIELD);
  }

  private static float[] floats(InferTensorContents contents) {
    float[] out = new float[contents.getFp32ContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = contents.getFp32Contents(i);
    }
    return out;
  }

  private static double[] doubles(InferTensorContents contents) {
    double[] out = new double[contents.getFp64ContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = contents.getFp64Contents(i);
    }
    return out;
  }

  private static byte[] bools(InferTensorContents contents) {
    byte[] out = new byte[contents.getBoolContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (contents.getBoolContents(i) ? 1 : 0);
    }
    return out;
  }

  private static long[] longs(InferTensorContents contents) {
    long[] out = new long[contents.getInt64ContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = contents.getInt64Contents(i);
    }
    return out;
  }

  /** INT8, INT16 or INT32 from {@code int_contents}. */
  private static Object ints(FieldInput input, InferTensorContents contents) {
    int n = contents.getIntContentsCount();
    Datatype datatype = input.datatype();
    Object out =
        java.lang.reflect.Array.newInstance(ArrayTensor.arrayClass(datatype).getComponentType(), n);
    for (int i = 0; i < n; i++) {
      long value = whole(input, i, contents.getIntContents(i));
      switch (datatype) {
        case INT8 -> ((byte[]) out)[i] = (byte) value;
        case INT16 -> ((short[]) out)[i] = (short) value;
        default -> ((int[]) out)[i] = (int) value;
      }
    }
    return out;
  }

  private static byte[] unsignedBytes(FieldInput input, InferTensorContents contents) {
    byte[] out = new byte[contents.getUintContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) whole(input, i, Integer.toUnsignedLong(contents.getUintContents(i)));
    }
    return out;
  }

  private static long whole(FieldInput input, int i, long value) {
    Datatype datatype = input.datatype();
    if (Elements.fitsWhole(value, datatype)) {
      return value;
    }
    throw new InvalidRequestException(
        input.what()
            + " "
            + FIELD
            + "["
            + i
            + "] must be a whole number in "
            + datatype.wholeRange()
            + " for "
            + datatype
            + ", got "
            + value);
  }

  private static String[] strings(FieldInput input, InferTensorContents contents) {
    String[] out = new String[contents.getBytesContentsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = utf8(input, i, contents.getBytesContents(i));
    }
    return out;
  }

  private static String utf8(FieldInput input, int i, ByteString bytes) {
    try {
      ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
      return StandardCharsets.UTF_8.newDecoder().decode(buffer).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidRequestException(
          input.what()
              + " "
              + FIELD
              + "["
              + i
              + "] is not UTF-8 text, which ONNX Runtime's strings need");
    }
  }

  /** An output's elements as typed contents; its datatype {@link #holds} one. */
  static InferTensorContents write(ArrayTensor tensor) {
    InferTensorContents.Builder out = InferTensorContents.newBuilder();
    Object e = tensor.elements();
    switch (tensor.datatype()) {
      case FP32 -> addFloats(out, (float[]) e);
      case FP64 -> addDoubles(out, (double[]) e);
      case BOOL -> addBools(out, (byte[]) e);
      case INT8 -> addInts(out, (byte[]) e, false);
      case UINT8 -> addInts(out, (byte[]) e, true);
      case INT16 -> addShorts(out, (short[]) e);
      case INT32 -> addInts(out, (int[]) e);
      case INT64 -> addLongs(out, (long[]) e);
      default -> addStrings(out, (String[]) e);
    }
    return out.build();
  }

  private static void addFloats(InferTensorContents.Builder out, float[] values) {
    for (float value : values) {
      out.addFp32Contents(value);
    }
  }

  private static void addDoubles(InferTensorContents.Builder out, double[] values) {
    for (double value : values) {
      out.addFp64Contents(value);
    }
  }

  private static void addBools(InferTensorContents.Builder out, byte[] values) {
    for (byte value : values) {
      out.addBoolContents(value != 0);
    }
  }

  /** INT8 to {@code int_contents}, UINT8 (unsigned) to {@code uint_contents}. */
  private static void addInts(InferTensorContents.Builder out, byte[] values, boolean unsigned) {
    for (byte value : values) {
      if (unsigned) {
        out.addUintContents(Byte.toUnsignedInt(value));
      } else {
        out.addIntContents(value);
      }
    }
  }

  private static void addShorts(InferTensorContents.Builder out, short[] values) {
    for (short value : values) {
      out.addIntContents(value);
    }
  }

  private static void addInts(InferTensorContents.Builder out, int[] values) {
    for (int value : values) {
      out.addIntContents(value);
    }
  }

  private static void addLongs(InferTensorContents.Builder out, long[] values) {
    for (long value : values) {
      out.addInt64Contents(value);
    }
  }

  private static void addStrings(InferTensorContents.Builder out, String[] values) {
    for (String value : values) {
      out.addBytesContents(ByteString.copyFromUtf8(value));
    }
  }
}
