package dev.ferry.hub.telemetry;

import dev.ferry.hub.fleet.HubMqtt;
import dev.ferry.protocol.device.Channel;
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
 * Tells devices which of their telemetry batches the hub has stored, so that their journals let
 * them go: a broker's acknowledgement does not say that the hub got a batch.
 */
@ApplicationScoped
public class TelemetryReceipts {
  @Inject HubMqtt mqtt;

  private final JsonCodec codec = new JsonCodec();

  /**
   * Sends the receipts for batches stored (or dropped for good), at most once each: a device whose
   * receipt is lost sends the batch again and gets another.
   *
   * @param batches the batches
   */
  public void send(List<TelemetryBatch> batches) {
    List<HubMqtt.Outgoing> messages = new ArrayList<>();
    for (Receipt receipt : of(batches)) {
      String topic = new Topic(receipt.deviceId(), Channel.RECEIPTS).toString();
      messages.add(new HubMqtt.Outgoing(topic, codec.encode(receipt), false));
    }
    mqtt.publishAtMostOnce(messages);
  }

  /**
   * The receipts for these batches: one per device (more past {@link Receipt#MAX_SEQS}), its
   * sequence numbers in the order of the batches, each once.
   *
   * @param batches the batches
   * @return the receipts
   */
  static List<Receipt> of(List<TelemetryBatch> batches) {
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
          for (int i = 0; i < all.size(); i += Receipt.MAX_SEQS) {
            receipts.add(
                new Receipt(device, all.subList(i, Math.min(all.size(), i + Receipt.MAX_SEQS))));
          }
        });
    return receipts;
  }
}
