package dev.ferry.hub.audit;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Audits every request that sent credentials and was answered 401 (a failed login): actor {@value
 * #ACTOR}, action {@code 401 <method>}, the path, and the scheme it tried; never the credential.
 * Entries are written off the event loop by one thread with a bounded queue, so a flood of bad
 * tokens cannot make the database write without end: what does not fit is counted and logged.
 */
@ApplicationScoped
public class FailedLogins {
  private static final Logger LOG = Logger.getLogger(FailedLogins.class);

  /** The actor of a failed login: nobody was authenticated. */
  public static final String ACTOR = "unauthenticated";

  private static final int QUEUE = 1000;

  @Inject AuditLog audit;

  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          task -> {
            Thread thread = new Thread(task, "ferry-audit-logins");
            thread.setDaemon(true);
            return thread;
          },
          (task, pool) -> dropped.incrementAndGet());

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE + 1).handler(this::watch);
  }

  void stop(@Observes ShutdownEvent event) {
    writer.shutdown();
  }

  /** Failed logins not audited because too many came at once. */
  public long dropped() {
    return dropped.get();
  }

  private void watch(RoutingContext context) {
    String authorization = context.request().getHeader("Authorization");
    if (authorization != null) {
      String method = context.request().method().name();
      String path = context.request().path();
      String scheme = scheme(authorization);
      context.addEndHandler(
          done -> {
            if (context.response().getStatusCode() == 401) {
              writer.execute(() -> record(method, path, scheme));
            }
          });
    }
    context.next();
  }

  private void record(String method, String path, String scheme) {
    try {
      audit.record(ACTOR, "401 " + method, path, scheme + " credentials refused");
    } catch (RuntimeException e) {
      LOG.errorf("failed login on %s %s not audited: %s", method, path, e.getMessage());
    }
  }

  /** The scheme's name alone, at most 16 letters: the credential after it is never kept. */
  static String scheme(String authorization) {
    String word = authorization.strip().split("\\s", 2)[0];
    return word.matches("[A-Za-z]{1,16}") ? word : "unknown";
  }
}
