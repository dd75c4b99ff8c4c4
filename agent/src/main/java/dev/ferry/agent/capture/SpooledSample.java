package dev.ferry.agent.capture;

import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MaxBytes;
import java.time.Instant;
import java.util.List;

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
   * The sample without its tensors: what deciding about it needs, read past the tensors' data
   * without decoding it.
   *
   * @throws dev.ferry.protocol.json.MalformedMessageException if the file does not decode
   */
  CaptureSample withoutTensors() {
    Header header = CODEC.decode(json, Header.class);
    return new CaptureSample(
        header.id(),
        header.model(),
        header.version(),
        header.capturedAt(),
        header.failed(),
        List.of());
  }

  /** The fields of a spooled sample but its tensors, which decoding skips as unknown. */
  @MaxBytes(CaptureSpool.MAX_SAMPLE_BYTES)
  record Header(String id, String model, String version, Instant capturedAt, boolean failed) {}
}
