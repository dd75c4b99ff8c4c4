package dev.ferry.agent.identity;

import dev.ferry.agent.config.AgentConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.jboss.logging.Logger;

/**
 * The device's identity at run time: enrolls in the background when the files are not there (sync
 * waits for it, serving never does), then renews the certificate before it expires. Without {@code
 * ferry.agent.hub-url} and without identity files the agent runs without one (a broker that wants
 * no client certificate, {@code ferry.agent.mqtt.username}/{@code password}).
 */
@ApplicationScoped
public class Identity {
  private static final Logger LOG = Logger.getLogger(Identity.class);

  @Inject AgentConfig config;

  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "ferry-identity");
            thread.setDaemon(true);
            return thread;
          });
  private volatile DeviceCredential credential;

  /** The identity files under the data directory. */
  public IdentityFiles files() {
    return IdentityFiles.under(config.dataDir());
  }

  /** Whether the agent uses a hub-issued identity: a hub to enroll with, or the files already. */
  public boolean used() {
    return config.hubUrl().isPresent() || files().complete();
  }

  /** The device credential once enrolled; empty before and when no identity is used. */
  public Optional<DeviceCredential> credential() {
    return Optional.ofNullable(credential);
  }

  /**
   * The TLS socket factory for {@code ssl://} brokers: the device certificate (read at each
   * connect) and the configured or enrolled CA.
   */
  public SSLSocketFactory tls() {
    return DeviceTls.socketFactory(files(), config.mqtt().caFile());
  }

  /**
   * Checks the configuration now, then obtains the credential in the background and hands it on;
   * renewals follow, each followed by {@code renewed}.
   *
   * @param deviceId the device id
   * @param ready called once, on the identity thread, with the credential (empty when none is used)
   * @param renewed called after each renewal
   * @throws IllegalStateException naming the property that is missing
   */
  public void obtain(
      String deviceId, Consumer<Optional<DeviceCredential>> ready, Runnable renewed) {
    if (!used()) {
      ready.accept(Optional.empty());
      return;
    }
    Enrollment enrollment = enrollment(deviceId);
    enrollment.check();
    Renewal.requireFraction(config.enrollment().renewBefore());
    worker.execute(() -> enroll(enrollment, ready, renewed));
  }

  private Enrollment enrollment(String deviceId) {
    return new Enrollment(
        new Enrollment.Setup(
            files(),
            deviceId,
            config.hubUrl().map(HubClient::new),
            config.enrollment().tokenFile(),
            config.enrollment().pollInterval()),
        delay -> Thread.sleep(delay.toMillis()));
  }

  private void enroll(
      Enrollment enrollment, Consumer<Optional<DeviceCredential>> ready, Runnable renewed) {
    try {
      credential = enrollment.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (IOException e) {
      LOG.errorf(
          "device identity unavailable, the agent serves its cache only: %s", e.getMessage());
      return;
    }
    ready.accept(Optional.of(credential));
    config.hubUrl().ifPresent(hub -> renewals(new HubClient(hub), renewed));
  }

  private void renewals(HubClient hub, Runnable renewed) {
    Renewal renewal =
        new Renewal(
            files(),
            credential,
            hub,
            config.enrollment().renewBefore(),
            Clock.systemUTC(),
            renewed);
    schedule(renewal, Duration.ZERO);
  }

  private void schedule(Renewal renewal, Duration delay) {
    worker.schedule(
        () -> schedule(renewal, renewal.tick()), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    worker.shutdownNow();
  }
}
