package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.json.JsonCodec;

/**
 * A sample as the spool holds it: its id and its JSON, uploaded as they are (no decoding and
 * re-encoding of the tensors' base64 on the way to the hub).
 *
 * @param id the sample's id
 * @param json the {@link CaptureSample} as JSON, as the writer encoded it
 */
record SpooledSample(String id, byte[] json) {
  private static final JsonCodec CODEC = new JsonCodec();

  /**
   * The sample decoded, for the rare reader that needs its fields.
   *
   * @throws dev.ferry.protocol.json.MalformedMessageException if the file does not decode
   */
  CaptureSample decode() {
    return CODEC.decode(json, CaptureSample.class);
  }
}
