package dev.ferry.agent.runtime;

import ai.onnxruntime.OrtException.OrtErrorCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Whose fault an ONNX Runtime failure while serving a request is: the request's or the version's.
 */
enum Blame {
  REQUEST,
  VERSION;

  /**
   * Codes a kernel gives for what it was fed (a broadcast of [3] with [4] is a RUNTIME_EXCEPTION,
   * like a fault of the device): they cannot tell the request's fault from the version's alone.
   */
  private static final Set<OrtErrorCode> FROM_INPUTS =
      EnumSet.of(
          OrtErrorCode.ORT_FAIL,
          OrtErrorCode.ORT_RUNTIME_EXCEPTION,
          OrtErrorCode.ORT_NOT_IMPLEMENTED);

  /**
   * INVALID_ARGUMENT is ONNX Runtime's verdict on the values it was given (an index out of range, a
   * shape a kernel refuses): the request's. A failure that inputs can cause is the request's too
   * when the version still passes its golden cases (so it works, on inputs this request differs
   * from), and the version's when it does not (the session or the device broke). Anything else is
   * the version's.
   *
   * @param code ONNX Runtime's error code
   * @param stillProven runs the version's golden cases again; asked only when the code needs it
   * @return who is at fault
   */
  static Blame of(OrtErrorCode code, BooleanSupplier stillProven) {
    if (code == OrtErrorCode.ORT_INVALID_ARGUMENT) {
      return REQUEST;
    }
    return FROM_INPUTS.contains(code) && stillProven.getAsBoolean() ? REQUEST : VERSION;
  }
}
