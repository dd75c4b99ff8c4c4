package dev.ferry.agent.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;

/** One of Paho's network modules, with its input read through an {@link OversizeGuard}. */
final class GuardedNetworkModule implements NetworkModule {
  private final NetworkModule module;
  private final int limit;
  private final Consumer<OversizeMessage> oversize;
  private OversizeGuard guard;

  GuardedNetworkModule(NetworkModule module, int limit, Consumer<OversizeMessage> oversize) {
    this.module = module;
    this.limit = limit;
    this.oversize = oversize;
  }

  @Override
  public void start() throws IOException, MqttException {
    module.start();
  }

  /** The same guard on every call, since it keeps its place in the stream. */
  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (guard == null) {
      guard = new OversizeGuard(module.getInputStream(), limit, oversize);
    }
    return guard;
  }

  @Override
  public OutputStream getOutputStream() throws IOException {
    return module.getOutputStream();
  }

  @Override
  public void stop() throws IOException {
    module.stop();
  }

  @Override
  public String getServerURI() {
    return module.getServerURI();
  }
}
