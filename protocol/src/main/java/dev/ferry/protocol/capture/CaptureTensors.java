package dev.ferry.protocol.capture;

/** Which tensors of a sampled request a capture keeps. */
public enum CaptureTensors {
  /** The request's input tensors only. */
  INPUTS,
  /** The answer's output tensors only. */
  OUTPUTS,
  /** Inputs and outputs. */
  BOTH;

  /** Whether inputs are kept. */
  public boolean inputs() {
    return this != OUTPUTS;
  }

  /** Whether outputs are kept. */
  public boolean outputs() {
    return this != INPUTS;
  }
}
