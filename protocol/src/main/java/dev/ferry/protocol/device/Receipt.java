package dev.ferry.protocol.device;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.util.List;

/**
 * The hub's receipt for telemetry batches it has stored (or dropped for good), published on the
 * device's {@code receipts} topic. A broker's acknowledgement only says the broker took a batch: a
 * broker drops a message no subscription matches (Mosquitto 2.0 restores no shared subscription
 * after a restart), so the agent keeps each batch until a receipt names it and sends it again until
 * then; the hub counts each {@code (deviceId, seq)} once.
 *
 * @param deviceId the device
 * @param telemetry the sequence numbers of the batches stored, at most {@value #MAX_SEQS}
 */
@Schema("ferry.receipt/v1")
@MaxBytes(256 << 10)
public record Receipt(String deviceId, List<Long> telemetry) {
  /** The most sequence numbers one receipt names. */
  public static final int MAX_SEQS = 1000;

  /** Checks the fields. */
  public Receipt {
    DeviceIds.require(deviceId, "deviceId");
    telemetry = Fields.nonEmptyList(telemetry, "telemetry");
    if (telemetry.size() > MAX_SEQS) {
      throw new FieldException(
          "telemetry", "must have at most " + MAX_SEQS + " entries, got " + telemetry.size());
    }
    for (int i = 0; i < telemetry.size(); i++) {
      Fields.atLeast(telemetry.get(i), 1, "telemetry[" + i + "]");
    }
  }
}
