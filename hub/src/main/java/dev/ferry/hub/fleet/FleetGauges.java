package dev.ferry.hub.fleet;

import dev.ferry.hub.db.PeriodicJob;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Fleet gauges at {@code /q/metrics}, refreshed every 15 s: devices known and online ({@code
 * ferry_devices_known}, {@code ferry_devices_online}) and devices per active model version ({@code
 * ferry_devices_serving{model,version}}), and devices reporting themselves STALE ({@code
 * ferry_devices_stale}: no fresh signed desired state for longer than they wait), from the devices'
 * reported states, each decoded once.
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
  private final PeriodicJob timer =
      new PeriodicJob("fleet gauges", Duration.ZERO, Duration.ofSeconds(15), this::refresh);
  private MultiGauge serving;
  // by device id; replaced whole by each refresh
  private Map<String, Summary> summaries = new HashMap<>();

  void start(@Observes StartupEvent event) {
    registry.gauge("ferry.devices.known", known);
    registry.gauge("ferry.devices.online", online);
    registry.gauge("ferry.devices.stale", stale);
    serving =
        MultiGauge.builder("ferry.devices.serving")
            .description("Devices whose active version of a model is this one")
            .register(registry);
    timer.start();
  }

  void stop(@Observes ShutdownEvent event) {
    timer.stop();
  }

  /** What the gauges take from one report, kept until the device reports again. */
  private record Summary(long revision, boolean stale, List<List<String>> serving) {
    static final Summary NONE = new Summary(-1, false, List.of());
  }

  /**
   * Reads every device's connection and report count, and decodes only the reports that changed
   * since the last refresh: a fleet's unchanged reports are not read and decoded every 15 s.
   */
  synchronized void refresh() {
    List<Devices.ReportRevision> all = devices.revisions();
    Map<String, Summary> next = new HashMap<>();
    List<String> changed = new ArrayList<>();
    for (Devices.ReportRevision device : all) {
      Summary known = summaries.get(device.id());
      if (device.revision() < 0) {
        next.put(device.id(), Summary.NONE);
      } else if (known != null && known.revision() == device.revision()) {
        next.put(device.id(), known);
      } else {
        changed.add(device.id());
      }
    }
    devices
        .reports(changed)
        .forEach((id, report) -> next.put(id, summary(id, report.getKey(), report.getValue())));
    summaries = next;
    Map<List<String>, Long> perVersion =
        new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    long up = all.stream().filter(Devices.ReportRevision::online).count();
    long staleDevices = 0;
    for (Summary summary : next.values()) {
      staleDevices += summary.stale() ? 1 : 0;
      summary.serving().forEach(key -> perVersion.merge(key, 1L, Long::sum));
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
  }

  /** One report's part in the gauges; a report that does not decode counts for nothing. */
  private Summary summary(String id, long revision, String reported) {
    try {
      ReportedState state =
          codec.decode(reported.getBytes(StandardCharsets.UTF_8), ReportedState.class);
      List<List<String>> active = new ArrayList<>();
      for (ModelReport model : state.models()) {
        if (model.active() != null) {
          active.add(List.of(model.name(), model.active().version()));
        }
      }
      return new Summary(revision, ReportedState.STALE.equals(state.freshness()), active);
    } catch (RuntimeException e) {
      LOG.debugf("the stored report of %s does not decode: %s", id, e.getMessage());
      return new Summary(revision, false, List.of());
    }
  }
}
