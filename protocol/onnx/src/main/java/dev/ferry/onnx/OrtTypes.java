package dev.ferry.onnx;

import ai.onnxruntime.TensorInfo.OnnxTensorType;
import dev.ferry.protocol.release.Datatype;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Maps ONNX Runtime element types to Open Inference Protocol datatypes. */
public final class OrtTypes {
  /**
   * The datatypes {@link OrtTensors#create} makes ONNX Runtime tensors of: all but UINT16, UINT32
   * and UINT64, which ONNX Runtime's Java API cannot create.
   */
  public static final Set<Datatype> CREATABLE =
      Collections.unmodifiableSet(
          EnumSet.complementOf(EnumSet.of(Datatype.UINT16, Datatype.UINT32, Datatype.UINT64)));

  /** The {@link #CREATABLE} datatypes whose elements are numbers or booleans: all but BYTES. */
  public static final Set<Datatype> CREATABLE_NUMERIC =
      Collections.unmodifiableSet(
          EnumSet.complementOf(
              EnumSet.of(Datatype.UINT16, Datatype.UINT32, Datatype.UINT64, Datatype.BYTES)));

  private static final Map<OnnxTensorType, Datatype> DATATYPES =
      new EnumMap<>(OnnxTensorType.class);

  static {
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL, Datatype.BOOL);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8, Datatype.UINT8);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16, Datatype.UINT16);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32, Datatype.UINT32);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64, Datatype.UINT64);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8, Datatype.INT8);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16, Datatype.INT16);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32, Datatype.INT32);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64, Datatype.INT64);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16, Datatype.FP16);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, Datatype.FP32);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE, Datatype.FP64);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16, Datatype.BF16);
    DATATYPES.put(OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING, Datatype.BYTES);
  }

  private OrtTypes() {}

  /** The datatype of an ONNX element type; empty if the protocol cannot carry it. */
  public static Optional<Datatype> datatype(OnnxTensorType type) {
    return Optional.ofNullable(DATATYPES.get(type));
  }

  /**
   * The datatype of an ONNX element type the protocol must carry.
   *
   * @param type the element type ONNX Runtime reports
   * @param what the tensor, for the message: {@code "input 'x'"}
   * @throws UnsupportedElementTypeException if the protocol cannot carry it
   */
  public static Datatype require(OnnxTensorType type, String what) {
    return datatype(type).orElseThrow(() -> new UnsupportedElementTypeException(what, type));
  }
}
