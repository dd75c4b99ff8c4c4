package dev.ferry.agent.capture;

import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.identity.Identity;
import dev.ferry.agent.store.AgentState;
import dev.ferry.agent.store.StateFile;
import dev.ferry.agent.store.Target;
import dev.ferry.protocol.capture.CaptureSample;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs capture in the agent: the {@link Capture} the serving path offers to, with the policies of
 * the accepted (verified) desired state, set at start from {@code state.json} and again as each
 * state is saved; a writer thread into the spool under {@code <data-dir>/capture}; and every
 * interval the spool uploaded when the hub is configured and the device has its own credential.
 * Counts are exposed as {@code ferry_capture_samples_total{outcome}}.
 */
@Singleton
public class CaptureService {
  private static final Logger LOG = Logger.getLogger(CaptureService.class);

  private final CaptureMeters meters = new CaptureMeters();
  private final Capture capture;
  private final AgentConfig config;
  private final StateFile stateFile;
  private final Identity identity;
  private final long spoolMaxBytes;
  private final Duration interval;

  /** Made on the first upload: its TLS set-up would load some 200 classes at start. */
  private HttpClient http;

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "ferry-capture-upload"));
  private CaptureSpool spool;
  private CaptureWriter writer;
  private CaptureUploader uploader;

  CaptureService(
      AgentConfig config,
      StateFile stateFile,
      Identity identity,
      MeterRegistry registry,
      @ConfigProperty(name = "ferry.agent.capture.queue", defaultValue = "256") int queue,
      @ConfigProperty(name = "ferry.agent.capture.spool-max-bytes", defaultValue = "268435456")
          long spoolMaxBytes,
      @ConfigProperty(name = "ferry.agent.capture.upload-interval", defaultValue = "30s")
          Duration interval) {
    this.config = config;
    this.stateFile = stateFile;
    this.identity = identity;
    this.spoolMaxBytes = spoolMaxBytes;
    this.interval = interval;
    this.capture = new Capture(queue, meters, Clock.systemUTC(), new SplittableRandom());
    count(registry, "captured", CaptureMeters::captured);
    count(registry, "dropped", CaptureMeters::dropped);
    count(registry, "spooled", CaptureMeters::spooled);
    count(registry, "uploaded", CaptureMeters::uploaded);
    count(registry, "refused", CaptureMeters::refused);
    count(registry, "withheld", CaptureMeters::withheld);
    count(registry, "unreadable", CaptureMeters::unreadable);
  }

  /** The serving path's side. */
  @Produces
  @Singleton
  Capture capture() {
    return capture;
  }

  void start(@Observes StartupEvent event) throws IOException {
    stateFile.watch(this::configure); // before the load: a state saved in between is not missed
    configure(stateFile.load());
    spool = new CaptureSpool(config.dataDir().resolve("capture"), spoolMaxBytes);
    writer = new CaptureWriter(capture, spool, meters);
    UploadBackoff backoff = new UploadBackoff(Clock.systemUTC(), interval, longest(interval));
    uploader = new CaptureUploader(spool, meters, backoff, 256, 4 << 20, this::withheld);
    Thread thread = daemon(writer, "ferry-capture-writer");
    thread.start();
    long every = interval.toMillis();
    timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    timer.shutdownNow();
    if (writer != null) {
      writer.stop();
      writer.flush();
    }
  }

  /** Uploads what waits. */
  void tick() {
    try {
      upload();
    } catch (Exception e) {
      LOG.debugf("capture tick: %s", e.getMessage());
    }
  }

  private boolean withheld(CaptureSample sample) {
    return capture.switchedOff(sample.model(), sample.version());
  }

  /** Sets the policies of the versions a state assigns, and switches the other models off. */
  private synchronized void configure(AgentState state) {
    Set<String> assigned = new HashSet<>();
    for (Target target : state.targets()) {
      assigned.add(target.name());
      capture.configure(
          target.name(), target.version(), target.assignment().capture(), config.labels());
    }
    capture.keepOnly(assigned);
  }

  private void upload() {
    if (config.hubUrl().isEmpty() || identity.credential().isEmpty() || spool.waiting() == 0) {
      return;
    }
    HubCaptureLink link =
        new HubCaptureLink(config.hubUrl().get(), identity.credential().get(), http());
    uploader.drain(link);
  }

  private HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }
    return http;
  }

  /** The longest wait between uploads after failures: 30 minutes, or the interval if longer. */
  private static Duration longest(Duration interval) {
    Duration most = Duration.ofMinutes(30);
    return interval.compareTo(most) > 0 ? interval : most;
  }

  private void count(MeterRegistry registry, String outcome, ToDoubleFunction<CaptureMeters> f) {
    FunctionCounter.builder("ferry.capture.samples", meters, f)
        .description("captured samples by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
