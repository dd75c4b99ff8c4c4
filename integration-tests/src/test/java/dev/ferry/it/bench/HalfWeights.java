package dev.ferry.it.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnknownFieldSet.Field;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An FP16 copy of an FP32 ONNX model for CPU, rewritten through the ONNX protobuf with no ONNX
 * library: each FP32 initializer or {@code Constant} of the main graph with at least {@value
 * #MIN_ELEMENTS} elements is stored in FP16 (round to nearest even) and cast back to FP32 by a
 * {@code Cast} node, so the model keeps its FP32 inputs and outputs and ONNX Runtime's CPU kernels;
 * its weights take half the bytes. (What Ferry's variants need from a second precision here: no
 * Python quantisation tools are reachable.)
 */
final class HalfWeights {
  static final int MIN_ELEMENTS = 256;
  private static final int FLOAT = 1;
  private static final int FLOAT16 = 10;

  private HalfWeights() {}

  /**
   * Writes the FP16 copy.
   *
   * @param fp32 the model
   * @param fp16 where its copy goes
   * @return how many initializers and constants were converted
   */
  static int write(Path fp32, Path fp16) throws IOException {
    UnknownFieldSet model = UnknownFieldSet.parseFrom(Files.readAllBytes(fp32));
    UnknownFieldSet graph = UnknownFieldSet.parseFrom(single(model, 7));
    Set<String> inputs = new HashSet<>();
    for (ByteString input : list(graph, 11)) {
      inputs.add(
          UnknownFieldSet.parseFrom(input)
              .getField(1)
              .getLengthDelimitedList()
              .get(0)
              .toStringUtf8());
    }
    List<ByteString> initializers = new ArrayList<>();
    List<ByteString> nodes = new ArrayList<>();
    for (ByteString bytes : list(graph, 5)) {
      UnknownFieldSet tensor = UnknownFieldSet.parseFrom(bytes);
      String name = single(tensor, 8).toStringUtf8();
      float[] values = floats(tensor);
      if (values == null || values.length < MIN_ELEMENTS || inputs.contains(name)) {
        initializers.add(bytes);
        continue;
      }
      initializers.add(half(tensor, name + "_fp16", values));
      nodes.add(cast(name + "_fp16", name));
    }
    int converted = nodes.size();
    for (ByteString node : list(graph, 1)) {
      List<ByteString> rewritten = constant(UnknownFieldSet.parseFrom(node));
      converted += rewritten.isEmpty() ? 0 : 1;
      nodes.addAll(rewritten.isEmpty() ? List.of(node) : rewritten);
    }
    UnknownFieldSet newGraph =
        UnknownFieldSet.newBuilder(graph)
            .clearField(1)
            .clearField(5)
            .addField(1, lengthDelimited(nodes))
            .addField(5, lengthDelimited(initializers))
            .build();
    UnknownFieldSet newModel =
        UnknownFieldSet.newBuilder(model)
            .clearField(7)
            .addField(7, lengthDelimited(List.of(newGraph.toByteString())))
            .build();
    Files.write(fp16, newModel.toByteArray());
    return converted;
  }

  /**
   * A {@code Constant} node whose FP32 value is large enough, as an FP16 {@code Constant} and a
   * {@code Cast} to the original output (PaddleOCR's exported models hold their weights so); empty
   * for any other node.
   */
  private static List<ByteString> constant(UnknownFieldSet node) throws IOException {
    if (!node.hasField(4) || !single(node, 4).toStringUtf8().equals("Constant")) {
      return List.of();
    }
    List<ByteString> attributes = new ArrayList<>(list(node, 5));
    for (int i = 0; i < attributes.size(); i++) {
      UnknownFieldSet attribute = UnknownFieldSet.parseFrom(attributes.get(i));
      if (!single(attribute, 1).toStringUtf8().equals("value") || !attribute.hasField(5)) {
        continue;
      }
      UnknownFieldSet tensor = UnknownFieldSet.parseFrom(single(attribute, 5));
      float[] values = floats(tensor);
      if (values == null || values.length < MIN_ELEMENTS) {
        return List.of();
      }
      String output = single(node, 2).toStringUtf8();
      ByteString halfTensor = half(tensor, output + "_fp16", values);
      attributes.set(
          i,
          UnknownFieldSet.newBuilder(attribute)
              .clearField(5)
              .addField(5, lengthDelimited(List.of(halfTensor)))
              .build()
              .toByteString());
      ByteString halfNode =
          UnknownFieldSet.newBuilder(node)
              .clearField(2)
              .clearField(5)
              .addField(2, lengthDelimited(List.of(ByteString.copyFromUtf8(output + "_fp16"))))
              .addField(5, lengthDelimited(attributes))
              .build()
              .toByteString();
      return List.of(halfNode, cast(output + "_fp16", output));
    }
    return List.of();
  }

  /**
   * A tensor's FP32 values from {@code float_data} or {@code raw_data}; null if not FP32 inline.
   */
  private static float[] floats(UnknownFieldSet tensor) throws IOException {
    if (tensor.getField(2).getVarintList().stream().noneMatch(t -> t == FLOAT)
        || tensor.hasField(13)) {
      return null;
    }
    if (tensor.hasField(9)) {
      ByteBuffer raw = single(tensor, 9).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[raw.remaining() / 4];
      raw.asFloatBuffer().get(values);
      return values;
    }
    List<Float> values = new ArrayList<>();
    tensor.getField(4).getFixed32List().forEach(bits -> values.add(Float.intBitsToFloat(bits)));
    for (ByteString packed : tensor.getField(4).getLengthDelimitedList()) {
      CodedInputStream in = packed.newCodedInput();
      while (!in.isAtEnd()) {
        values.add(in.readFloat());
      }
    }
    float[] array = new float[values.size()];
    for (int i = 0; i < array.length; i++) {
      array[i] = values.get(i);
    }
    return array;
  }

  private static ByteString half(UnknownFieldSet tensor, String name, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      raw.putShort(toHalf(value));
    }
    return UnknownFieldSet.newBuilder(tensor)
        .clearField(2)
        .clearField(4)
        .clearField(8)
        .clearField(9)
        .addField(2, Field.newBuilder().addVarint(FLOAT16).build())
        .addField(8, lengthDelimited(List.of(ByteString.copyFromUtf8(name))))
        .addField(9, lengthDelimited(List.of(ByteString.copyFrom(raw.array()))))
        .build()
        .toByteString();
  }

  /** {@code Cast(to = FLOAT)} from the FP16 initializer to the name the graph uses. */
  private static ByteString cast(String from, String to) {
    UnknownFieldSet attribute =
        UnknownFieldSet.newBuilder()
            .addField(1, lengthDelimited(List.of(ByteString.copyFromUtf8("to"))))
            .addField(3, Field.newBuilder().addVarint(FLOAT).build())
            .addField(20, Field.newBuilder().addVarint(2).build()) // AttributeType INT
            .build();
    return UnknownFieldSet.newBuilder()
        .addField(1, lengthDelimited(List.of(ByteString.copyFromUtf8(from))))
        .addField(2, lengthDelimited(List.of(ByteString.copyFromUtf8(to))))
        .addField(3, lengthDelimited(List.of(ByteString.copyFromUtf8("ferry_fp16_" + to))))
        .addField(4, lengthDelimited(List.of(ByteString.copyFromUtf8("Cast"))))
        .addField(5, lengthDelimited(List.of(attribute.toByteString())))
        .build()
        .toByteString();
  }

  /** IEEE 754 binary16 of a float, rounded to nearest even. */
  static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int abs = bits & 0x7fffffff;
    if (abs >= 0x7f800000) {
      return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 : 0));
    }
    if (abs >= 0x477ff000) {
      return (short) (sign | 0x7c00);
    }
    if (abs < 0x38800000) {
      return (short) (sign | subnormal(abs));
    }
    int half = ((abs >>> 23) - 112) << 10 | (abs & 0x7fffff) >>> 13;
    return (short) (sign | roundEven(half, abs & 0x1fff, 0x1000));
  }

  private static int subnormal(int abs) {
    if (abs < 0x33000000) {
      return 0;
    }
    int shift = 126 - (abs >>> 23);
    int mantissa = (abs & 0x7fffff) | 0x800000;
    return roundEven(mantissa >>> shift, mantissa & ((1 << shift) - 1), 1 << (shift - 1));
  }

  private static int roundEven(int truncated, int rest, int halfway) {
    return rest > halfway || rest == halfway && (truncated & 1) == 1 ? truncated + 1 : truncated;
  }

  private static ByteString single(UnknownFieldSet message, int field) {
    return message.getField(field).getLengthDelimitedList().get(0);
  }

  private static List<ByteString> list(UnknownFieldSet message, int field) {
    return message.getField(field).getLengthDelimitedList();
  }

  private static Field lengthDelimited(List<ByteString> values) {
    Field.Builder field = Field.newBuilder();
    values.forEach(field::addLengthDelimited);
    return field.build();
  }
}
