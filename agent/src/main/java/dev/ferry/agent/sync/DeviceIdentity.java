package dev.ferry.agent.sync;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** The device id: {@code ferry.agent.device-id}, else the host name. */
public final class DeviceIdentity {
  private DeviceIdentity() {}

  /**
   * Resolves the device id.
   *
   * @param configured {@code ferry.agent.device-id}
   * @return the id
   * @throws IllegalStateException naming the property if the id breaks the rule
   */
  public static String resolve(Optional<String> configured) {
    String id = configured.filter(s -> !s.isBlank()).orElseGet(DeviceIdentity::hostName);
    try {
      return DeviceIds.require(id, "ferry.agent.device-id");
    } catch (FieldException e) {
      throw new IllegalStateException(
          e.getMessage()
              + "; set ferry.agent.device-id (the host name "
              + Fields.show(hostName())
              + " does not fit)");
    }
  }

  /**
   * The device id from the configuration.
   *
   * @param config the agent configuration
   * @return the id
   */
  public static String of(AgentConfig config) {
    return resolve(config.deviceId());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
    }
  }
}
