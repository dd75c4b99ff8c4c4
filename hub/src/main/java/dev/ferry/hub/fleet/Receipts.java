package dev.ferry.hub.fleet;

import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.Receipt;
import dev.ferry.protocol.device.TelemetryBatch;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells devices which of their telemetry batches and events the hub has stored, so that the agents
 * let them go: a broker's acknowledgement does not say that the hub got a message. Sent at most
 * once (QoS 0): a device whose receipt is lost sends the message again and gets another.
 */
@ApplicationScoped
public class Receipts {
  @Inject HubMqtt mqtt;

  private final JsonCodec codec = new JsonCodec();

  /**
   * Sends the receipts for batches stored, or dropped for good.
   *
   * @param batches the batches
   */
  public void telemetry(List<TelemetryBatch> batches) {
    send(ofTelemetry(batches));
  }

  /**
   * Sends the receipt for an event stored.
   *
   * @param event the event
   */
  public void event(DeviceEvent event) {
    send(List.of(Receipt.ofEvent(event.deviceId(), event.id())));
  }

  private void send(List<Receipt> receipts) {
    List<HubMqtt.Outgoing> messages = new ArrayList<>();
    for (Receipt receipt : receipts) {
      String topic = new Topic(receipt.deviceId(), Channel.RECEIPTS).toString();
      messages.add(new HubMqtt.Outgoing(topic, codec.encode(receipt), false));
    }
    mqtt.publishAtMostOnce(messages);
  }

  /**
   * The receipts for these batches: one per device (more past {@link Receipt#MAX_ENTRIES}), its
   * sequence numbers in the order of the batches, each once.
   *
   * @param batches the batches
   * @return the receipts
   */
  static List<Receipt> ofTelemetry(List<TelemetryBatch> batches) {
    Map<String, List<Long>> seqs = new LinkedHashMap<>();
    for (TelemetryBatch batch : batches) {
      List<Long> device = seqs.computeIfAbsent(batch.deviceId(), id -> new ArrayList<>());
      if (!device.contains(batch.seq())) {
        device.add(batch.seq());
      }
    }
    List<Receipt> receipts = new ArrayList<>();
    seqs.forEach(
        (device, all) -> {
          for (int i = 0; i < all.size(); i += Receipt.MAX_ENTRIES) {
            List<Long> chunk = all.subList(i, Math.min(all.size(), i + Receipt.MAX_ENTRIES));
            receipts.add(Receipt.ofTelemetry(device, chunk));
          }
        });
    return receipts;
  }
}
