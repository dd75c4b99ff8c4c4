package dev.ferry.agent.sync;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;

/** Where the agent's events and reported state go: MQTT in production, a list in tests. */
public interface Reporter {
  /**
   * Sends an event.
   *
   * @param event the event
   */
  void event(DeviceEvent event);

  /**
   * Sends the reported state.
   *
   * @param state the state
   */
  void reported(ReportedState state);
}
