package dev.ferry.agent.sync;

import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jboss.logging.Logger;

/**
 * Reports over MQTT. While the link is down, events are dropped (logged) and the reported state is
 * sent again, current, on the next connect.
 */
final class MqttReporter implements Reporter {
  private static final Logger LOG = Logger.getLogger(MqttReporter.class);

  private final AgentMqtt mqtt;
  private final JsonCodec codec = new JsonCodec();

  MqttReporter(AgentMqtt mqtt) {
    this.mqtt = mqtt;
  }

  @Override
  public void event(DeviceEvent event) {
    send(Channel.EVENTS, codec.encode(event));
  }

  @Override
  public void reported(ReportedState state) {
    send(Channel.REPORTED, codec.encode(state));
  }

  private void send(Channel channel, byte[] payload) {
    if (!mqtt.connected()) {
      return;
    }
    try {
      mqtt.publish(channel, payload);
    } catch (MqttException e) {
      LOG.debugf("cannot publish on %s now: %s", channel.segment(), e.getMessage());
    }
  }
}
