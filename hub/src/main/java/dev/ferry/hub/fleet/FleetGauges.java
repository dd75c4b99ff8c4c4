package dev.ferry.hub.fleet;

import dev.ferry.protocol.device.ModelReport;
import dev.ferry.protocol.device.ReportedState;
import dev.ferry.protocol.json.JsonCodec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Fleet gauges at {@code /q/metrics}, refreshed every 15 s: devices known and online ({@code
 * ferry_devices_known}, {@code ferry_devices_online}) and devices per active model version ({@code
 * ferry_devices_serving{model,version}}), and devices reporting themselves STALE ({@code
 * ferry_devices_stale}: no fresh signed desired state for longer than they wait), from the devices'
 * reported states.
 */
@ApplicationScoped
public class FleetGauges {
  private static final Logger LOG = Logger.getLogger(FleetGauges.class);

  @Inject Devices devices;
  @Inject MeterRegistry registry;

  private final JsonCodec codec = new JsonCodec();
  private final AtomicLong known = new AtomicLong();
  private final AtomicLong online = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ferry-fleet-gauges");
            thread.setDaemon(true);
            return thread;
          });
  private MultiGauge serving;

  void start(@Observes StartupEvent event) {
    registry.gauge("ferry.devices.known", known);
    registry.gauge("ferry.devices.online", online);
    registry.gauge("ferry.devices.stale", stale);
    serving =
        MultiGauge.builder("ferry.devices.serving")
            .description("Devices whose active version of a model is this one")
            .register(registry);
    timer.scheduleWithFixedDelay(this::refresh, 0, 15, TimeUnit.SECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    timer.shutdownNow();
  }

  void refresh() {
    try {
      List<Device> all = devices.all();
      Map<List<String>, Long> perVersion =
          new TreeMap<>(java.util.Comparator.comparing(Object::toString));
      long up = 0;
      long staleDevices = 0;
      for (Device device : all) {
        if (device.online()) {
          up++;
        }
        if (device.reported() == null) {
          continue;
        }
        ReportedState state =
            codec.decode(device.reported().getBytes(StandardCharsets.UTF_8), ReportedState.class);
        if (ReportedState.STALE.equals(state.freshness())) {
          staleDevices++;
        }
        for (ModelReport model : state.models()) {
          if (model.active() != null) {
            perVersion.merge(List.of(model.name(), model.active().version()), 1L, Long::sum);
          }
        }
      }
      known.set(all.size());
      online.set(up);
      stale.set(staleDevices);
      List<MultiGauge.Row<?>> rows = new ArrayList<>();
      perVersion.forEach(
          (key, count) ->
              rows.add(
                  MultiGauge.Row.of(Tags.of("model", key.get(0), "version", key.get(1)), count)));
      serving.register(rows, true);
    } catch (RuntimeException e) {
      LOG.warnf("fleet gauges not refreshed: %s", e.getMessage());
    }
  }
}
