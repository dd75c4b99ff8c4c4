package dev.ferry.agent.sync;

import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Hands the hub's receipts to what keeps the messages they name until then: the telemetry journal
 * and the event queue. A receipt for another device, or one that does not decode, is ignored.
 */
final class ReceiptRouter {
  private static final Logger LOG = Logger.getLogger(ReceiptRouter.class);

  private final String deviceId;
  private final Consumer<List<Long>> telemetry;
  private final Consumer<List<String>> events;
  private final JsonCodec codec = new JsonCodec();

  /**
   * @param deviceId this device
   * @param telemetry takes the sequence numbers of the batches receipted
   * @param events takes the ids of the events receipted
   */
  ReceiptRouter(String deviceId, Consumer<List<Long>> telemetry, Consumer<List<String>> events) {
    this.deviceId = deviceId;
    this.telemetry = telemetry;
    this.events = events;
  }

  /** Routes one {@code ferry.receipt/v1} payload; called on Paho's thread, never waits. */
  void accept(byte[] payload) {
    Receipt receipt;
    try {
      receipt = codec.decode(payload, Receipt.class);
    } catch (MalformedMessageException e) {
      LOG.warnf("ignored a receipt: %s", e.getMessage());
      return;
    }
    if (!receipt.deviceId().equals(deviceId)) {
      LOG.warnf("ignored a receipt for device %s", receipt.deviceId());
      return;
    }
    if (!receipt.telemetry().isEmpty()) {
      telemetry.accept(receipt.telemetry());
    }
    if (!receipt.events().isEmpty()) {
      events.accept(receipt.events());
    }
  }
}
