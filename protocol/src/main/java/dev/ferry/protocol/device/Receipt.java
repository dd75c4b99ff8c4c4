package dev.ferry.protocol.device;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.util.List;

/**
 * The hub's receipt for telemetry batches and events it has stored (or dropped for good), published
 * on the device's {@code receipts} topic. A broker's acknowledgement only says the broker took a
 * message: a broker drops a message no subscription matches (Mosquitto 2.0 restores no shared
 * subscription after a restart), so the agent keeps each batch and event until a receipt names it
 * and sends it again until then; the hub stores each {@code (deviceId, seq)} and each event id
 * once.
 *
 * @param deviceId the device
 * @param telemetry the sequence numbers of the batches stored, at most {@value #MAX_ENTRIES}
 * @param events the ids of the events stored, at most {@value #MAX_ENTRIES}
 */
@Schema("ferry.receipt/v1")
@MaxBytes(256 << 10)
public record Receipt(String deviceId, List<Long> telemetry, List<String> events) {
  /** The most sequence numbers, and the most event ids, one receipt names. */
  public static final int MAX_ENTRIES = 1000;

  /** Checks the fields. */
  public Receipt {
    DeviceIds.require(deviceId, "deviceId");
    telemetry = atMost(Fields.list(telemetry, "telemetry"), "telemetry");
    events = atMost(Fields.list(events, "events"), "events");
    if (telemetry.isEmpty() && events.isEmpty()) {
      throw new FieldException("telemetry", "must not be empty when events is");
    }
    for (int i = 0; i < telemetry.size(); i++) {
      Fields.atLeast(telemetry.get(i), 1, "telemetry[" + i + "]");
    }
    for (int i = 0; i < events.size(); i++) {
      Fields.text(events.get(i), "events[" + i + "]");
    }
  }

  /**
   * The receipt for telemetry batches.
   *
   * @param deviceId the device
   * @param seqs their sequence numbers
   * @return the receipt
   */
  public static Receipt ofTelemetry(String deviceId, List<Long> seqs) {
    return new Receipt(deviceId, seqs, List.of());
  }

  /**
   * The receipt for one event.
   *
   * @param deviceId the device
   * @param eventId the event's id
   * @return the receipt
   */
  public static Receipt ofEvent(String deviceId, String eventId) {
    return new Receipt(deviceId, List.of(), List.of(eventId));
  }

  private static <T> List<T> atMost(List<T> entries, String field) {
    if (entries.size() > MAX_ENTRIES) {
      throw new FieldException(
          field, "must have at most " + MAX_ENTRIES + " entries, got " + entries.size());
    }
    return entries;
  }
}
