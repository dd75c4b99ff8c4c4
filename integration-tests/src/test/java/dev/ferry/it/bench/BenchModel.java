package dev.ferry.it.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.ferry.protocol.testing.NpmModels;
import dev.ferry.protocol.testing.OnnxModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A model the serving and swap benchmarks send requests to: an ONNX file with one FP32 input, the
 * input shape they send, and what it is. Real ones are PaddleOCR's (PP-OCRv4, Apache-2.0) from the
 * npm registry, fetched at benchmark time; generated ones are {@code y = x·W + b}.
 *
 * @param name the model name it is published under
 * @param label what it is, for reports
 * @param file the ONNX file
 * @param input the input's name
 * @param shape the input's shape in every request
 */
record BenchModel(String name, String label, Path file, String input, long[] shape) {
  /** PaddleOCR's text direction classifier (0.6 MB) on one 48×192 text line. */
  static BenchModel ocrClassifier() throws Exception {
    return ocr("ocr-cls", NpmModels.OCR_CLS, "classifier", 48, 192);
  }

  /** PP-OCRv4's text recogniser (10.8 MB) on one 48×320 text line: 40 × 6,625 scores out. */
  static BenchModel ocrRecognizer() throws Exception {
    return ocr("ocr-rec", NpmModels.OCR_REC, "recogniser", 48, 320);
  }

  /** PP-OCRv4's text detector (4.7 MB) on one 320×320 image: a 320×320 probability map out. */
  static BenchModel ocrDetector() throws Exception {
    return ocr("ocr-det", NpmModels.OCR_DET, "detector", 320, 320);
  }

  /**
   * The same model with its weights in FP16, cast to FP32 in the graph ({@link HalfWeights}): the
   * second CPU variant of a release.
   */
  static BenchModel halfOf(BenchModel fp32, Path dir) throws java.io.IOException {
    Path file = dir.resolve(fp32.name() + "-fp16.onnx");
    HalfWeights.write(fp32.file(), file);
    return new BenchModel(
        fp32.name() + "-fp16", "FP16 weights of " + fp32.label(), file, fp32.input(), fp32.shape());
  }

  /** A generated {@code [1,n] → [1,n]} MatMul + Add model. */
  static BenchModel generated(String name, int n, Path dir) {
    Path file = dir.resolve(name + "-generated.onnx");
    OnnxModels.matMulAdd(file, "x", 1, n, n, n);
    return new BenchModel(name, n + "×" + n + " MatMul (generated)", file, "x", new long[] {1, n});
  }

  private static BenchModel ocr(String name, String file, String what, int height, int width)
      throws Exception {
    return new BenchModel(
        name,
        "PaddleOCR "
            + what
            + " "
            + file
            + " (npm "
            + NpmModels.OCR_PACKAGE
            + "@"
            + NpmModels.OCR_VERSION
            + ")",
        NpmModels.ocr(file),
        "x",
        new long[] {1, 3, height, width});
  }

  /** Elements of one input. */
  int elements() {
    return (int) Arrays.stream(shape).reduce(1, Math::multiplyExact);
  }

  /**
   * The input every request sends: a synthetic image, pixel values 0–255 normalised to [-1, 1] as
   * PaddleOCR's preprocessing does (a plain counting sequence for a generated model).
   */
  float[] data() {
    float[] data = new float[elements()];
    for (int i = 0; i < data.length; i++) {
      data[i] = shape.length == 4 ? (((i * 7) ^ (i >> 9)) & 255) / 127.5f - 1 : (i % 7) - 3;
    }
    return data;
  }

  /** The Open Inference Protocol JSON request carrying {@link #data}. */
  String request() {
    float[] data = data();
    StringBuilder body = new StringBuilder(data.length * 12 + 100);
    body.append("{\"inputs\":[{\"name\":\"")
        .append(input)
        .append("\",\"datatype\":\"FP32\",\"shape\":")
        .append(Arrays.toString(shape).replace(" ", ""))
        .append(",\"data\":[");
    for (int i = 0; i < data.length; i++) {
      body.append(i == 0 ? "" : ",").append(data[i]);
    }
    return body.append("]}]}").toString();
  }

  /** {@link #data} with the binary tensor data extension, all outputs asked for as binary. */
  BinaryRequest binaryRequest() {
    float[] data = data();
    byte[] header =
        ("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\""
                + input
                + "\",\"datatype\":\"FP32\",\"shape\":"
                + Arrays.toString(shape).replace(" ", "")
                + ",\"parameters\":{\"binary_data_size\":"
                + 4 * data.length
                + "}}]}")
            .getBytes(StandardCharsets.UTF_8);
    ByteBuffer body =
        ByteBuffer.allocate(header.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    body.put(header).asFloatBuffer().put(data);
    return new BinaryRequest(body.array(), header.length);
  }

  /** A request body of the binary extension and its JSON header's length. */
  record BinaryRequest(byte[] body, int headerLength) {}

  /** {@link #data} as an ONNX Runtime tensor. */
  OnnxTensor tensor(OrtEnvironment env) throws OrtException {
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(data()), shape);
  }

  @Override
  public String toString() {
    return name + " (" + label + ", input " + Arrays.toString(shape) + ")";
  }
}
