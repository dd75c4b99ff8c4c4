package dev.ferry.agent.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.Elements;
import dev.ferry.protocol.release.Datatype;
import java.io.IOException;
import java.lang.reflect.Array;

/**
 * Reads a request's {@code data} array, flat or nested, straight from the parser into the primitive
 * array of its datatype ({@link ArrayTensor}), each element checked as it is read against the
 * datatype's range ({@link Elements}). Nothing is boxed and no tree is built: this runs once per
 * element of every request.
 */
final class ElementReader {
  private final Datatype datatype;
  private final String what;
  private Object array;
  private int size;

  private ElementReader(Datatype datatype, String what, int capacity) {
    this.datatype = datatype;
    this.what = what;
    this.array =
        Array.newInstance(
            ArrayTensor.arrayClass(datatype).getComponentType(), Math.max(capacity, 16));
  }

  /**
   * The elements of the array the parser stands on, in row-major order, in an array of exactly
   * their number.
   *
   * @param parser its current token is the data's first
   * @param capacity the number expected (from the shape, if known), bounded by the caller
   */
  static Object read(JsonParser parser, Datatype datatype, String what, int capacity)
      throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new InvalidRequestException(
          what + " data must be an array, got " + RequestParser.shown(parser));
    }
    ElementReader elements = new ElementReader(datatype, what, capacity);
    elements.collect(parser);
    return elements.trimmed();
  }

  private void collect(JsonParser parser) throws IOException {
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; ) {
      if (token == null) {
        throw new InvalidRequestException(what + " data ends before its array closes");
      }
      if (token == JsonToken.START_ARRAY) {
        collect(parser);
      } else {
        add(parser, token);
      }
      token = parser.nextToken();
    }
  }

  private void add(JsonParser parser, JsonToken token) throws IOException {
    if (size == Array.getLength(array)) {
      Object bigger = Array.newInstance(array.getClass().getComponentType(), size * 2);
      System.arraycopy(array, 0, bigger, 0, size);
      array = bigger;
    }
    switch (datatype) {
      case FP32, FP16, BF16 ->
          ((float[]) array)[size] = (float) real(parser, token, Elements.maxMagnitude(datatype));
      case FP64 -> ((double[]) array)[size] = real(parser, token, Elements.maxMagnitude(datatype));
      case BOOL -> ((byte[]) array)[size] = bool(parser, token);
      case INT8, UINT8 -> ((byte[]) array)[size] = (byte) whole(parser, token);
      case INT16 -> ((short[]) array)[size] = (short) whole(parser, token);
      case INT32 -> ((int[]) array)[size] = (int) whole(parser, token);
      case INT64 -> ((long[]) array)[size] = whole(parser, token);
      default -> ((String[]) array)[size] = text(parser, token);
    }
    size++;
  }

  private Object trimmed() {
    if (size == Array.getLength(array)) {
      return array;
    }
    Object exact = Array.newInstance(array.getClass().getComponentType(), size);
    System.arraycopy(array, 0, exact, 0, size);
    return exact;
  }

  /** This element's place in the request, for error messages. */
  private String at() {
    return what + " data[" + size + "]";
  }

  private double real(JsonParser parser, JsonToken token, double max) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
      double value = parser.getDoubleValue();
      if (Math.abs(value) <= max) {
        return value;
      }
    }
    throw new InvalidRequestException(
        at()
            + " must be a finite number in the range of "
            + datatype
            + ", got "
            + RequestParser.shown(parser));
  }

  private byte bool(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
      return (byte) (token == JsonToken.VALUE_TRUE ? 1 : 0);
    }
    throw new InvalidRequestException(
        at() + " must be true or false for BOOL, got " + RequestParser.shown(parser));
  }

  private String text(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return parser.getText();
    }
    throw new InvalidRequestException(
        at() + " must be a string for BYTES, got " + RequestParser.shown(parser));
  }

  /** A whole number in the datatype's range; 2.0 counts as whole, as JSON does not tell. */
  private long whole(JsonParser parser, JsonToken token) throws IOException {
    Long value = null;
    if (token == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      value = parser.getLongValue();
    } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = Elements.exactLong(parser.getDecimalValue());
    }
    if (value != null && Elements.fitsWhole(value, datatype)) {
      return value;
    }
    throw new InvalidRequestException(
        at()
            + " must be a whole number in "
            + datatype.wholeRange()
            + " for "
            + datatype
            + ", got "
            + RequestParser.shown(parser));
  }
}
