package dev.ferry.agent.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.protocol.release.Datatype;
import java.util.ArrayList;
import java.util.List;

/** Reads a request's {@code data}, flat or nested, into elements of its datatype. */
final class Elements {
  private Elements() {}

  /** The elements in row-major order; each checked against the datatype. */
  static List<Object> flatten(JsonNode data, Datatype datatype, String what) {
    if (data == null || !data.isArray()) {
      throw new InvalidRequestException(what + " data must be an array, got " + data);
    }
    List<Object> flat = new ArrayList<>();
    collect(data, datatype, what, flat);
    return flat;
  }

  private static void collect(JsonNode node, Datatype datatype, String what, List<Object> flat) {
    for (JsonNode element : node) {
      if (element.isArray()) {
        collect(element, datatype, what, flat);
      } else {
        flat.add(element(element, datatype, what, flat.size()));
      }
    }
  }

  /** One element; the message naming it is only built for a mistake (this runs per element). */
  private static Object element(JsonNode node, Datatype datatype, String what, int index) {
    return switch (datatype) {
      case BOOL -> bool(node, what, index);
      case BYTES -> text(node, what, index);
      case FP32, FP16, BF16 -> real(node, datatype, what, index, maxOf(datatype));
      case FP64 -> real(node, datatype, what, index, Double.MAX_VALUE);
      default -> whole(node, datatype, what, index);
    };
  }

  /** An element's place in the request, for error messages. */
  private static String at(String what, int index) {
    return what + " data[" + index + "]";
  }

  private static Object bool(JsonNode node, String what, int index) {
    if (!node.isBoolean()) {
      throw new InvalidRequestException(
          at(what, index) + " must be true or false for BOOL, got " + node);
    }
    return node.booleanValue();
  }

  private static Object text(JsonNode node, String what, int index) {
    if (!node.isTextual()) {
      throw new InvalidRequestException(
          at(what, index) + " must be a string for BYTES, got " + node);
    }
    return node.textValue();
  }

  private static Object real(JsonNode node, Datatype datatype, String what, int index, double max) {
    if (!node.isNumber() || !(Math.abs(node.doubleValue()) <= max)) {
      throw new InvalidRequestException(
          at(what, index)
              + " must be a finite number in the range of "
              + datatype
              + ", got "
              + node);
    }
    return node.doubleValue();
  }

  private static Object whole(JsonNode node, Datatype datatype, String what, int index) {
    long min = min(datatype);
    long max = max(datatype);
    if (!node.isNumber()
        || !node.canConvertToExactIntegral()
        || !node.canConvertToLong()
        || node.asLong() < min
        || node.asLong() > max) {
      throw new InvalidRequestException(
          at(what, index)
              + " must be a whole number in ["
              + min
              + ", "
              + max
              + "] for "
              + datatype
              + ", got "
              + node);
    }
    return node.asLong();
  }

  private static double maxOf(Datatype datatype) {
    return datatype == Datatype.FP16 ? 65504 : Float.MAX_VALUE;
  }

  private static long min(Datatype datatype) {
    return switch (datatype) {
      case INT8 -> Byte.MIN_VALUE;
      case INT16 -> Short.MIN_VALUE;
      case INT32 -> Integer.MIN_VALUE;
      case INT64 -> Long.MIN_VALUE;
      default -> 0;
    };
  }

  private static long max(Datatype datatype) {
    return switch (datatype) {
      case INT8 -> Byte.MAX_VALUE;
      case UINT8 -> 255;
      case INT16 -> Short.MAX_VALUE;
      case INT32 -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }
}
