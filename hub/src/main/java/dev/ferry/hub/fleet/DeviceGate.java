package dev.ferry.hub.fleet;

import dev.ferry.hub.identity.DeviceAccess;
import dev.ferry.protocol.device.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the hub takes from devices: only messages of ACCEPTED devices (answered from {@link
 * DeviceAccess}'s memory, never a query per message), whose payload names the device of the topic.
 * Every refusal is counted in {@code ferry_hub_messages_refused_total{reason}}.
 */
@ApplicationScoped
public class DeviceGate {
  /** Why a message was refused; the metric's {@code reason} tag. */
  public enum Reason {
    /** The topic's device is not ACCEPTED (unknown, PENDING or REVOKED). */
    NOT_ENROLLED,
    /** The payload's deviceId differs from the topic's. */
    DEVICE_MISMATCH;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  @Inject DeviceAccess access;
  @Inject MeterRegistry registry;

  private final Map<Reason, Counter> refused = new EnumMap<>(Reason.class);

  @PostConstruct
  void register() {
    for (Reason reason : Reason.values()) {
      refused.put(
          reason,
          Counter.builder("ferry.hub.messages.refused")
              .description("Device messages acknowledged but not stored")
              .tag("reason", reason.tag())
              .register(registry));
    }
  }

  /**
   * Whether the device of a topic may send; counts a refusal.
   *
   * @param topic the topic the message came on
   * @return true if its device is ACCEPTED
   */
  public boolean admits(Topic topic) {
    if (access.accepted(topic.deviceId())) {
      return true;
    }
    refused.get(Reason.NOT_ENROLLED).increment();
    return false;
  }

  /**
   * Checks that a payload names the device of its topic; counts a refusal.
   *
   * @param topic the topic the message came on
   * @param deviceId the payload's deviceId
   * @throws DeviceMismatchException if they differ
   */
  public void requireSameDevice(Topic topic, String deviceId) {
    if (!topic.deviceId().equals(deviceId)) {
      refused.get(Reason.DEVICE_MISMATCH).increment();
      throw new DeviceMismatchException(topic, deviceId);
    }
  }

  /**
   * Messages refused so far.
   *
   * @param reason why
   * @return how many since start
   */
  public long refused(Reason reason) {
    return (long) refused.get(reason).count();
  }
}
