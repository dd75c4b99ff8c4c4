package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.device.ReportedState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports leave on the reporter's own thread, in order, and never hold up whoever reports. */
class BackgroundReporterTest {
  private final CountDownLatch brokerAnswers = new CountDownLatch(1);
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final BackgroundReporter reporter =
      new BackgroundReporter(
          new Reporter() {
            @Override
            public void event(DeviceEvent event) {
              awaitBroker();
              sent.add(event.id());
            }

            @Override
            public void reported(ReportedState state) {
              awaitBroker();
              sent.add("reported " + state.desiredSequence());
            }
          },
          Executors.defaultThreadFactory());

  @AfterEach
  void close() {
    reporter.close();
  }

  @Test
  void reports_returnBeforeTheBrokerAnswersAndLeaveInTheOrderGiven() throws Exception {
    // before, the install thread published each event itself and waited for the broker's
    // acknowledgement: with a broker that does not answer yet, these calls never returned
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          reporter.event(event("e1"));
          reporter.reported(reported(7));
          reporter.event(event("e2"));
        });
    assertEquals(List.of(), sent);
    brokerAnswers.countDown();
    awaitSent(3);
    assertEquals(List.of("e1", "reported 7", "e2"), sent);
  }

  @Test
  void close_stillHandsOnWhatWasGivenAndDropsWhatComesAfter() throws Exception {
    reporter.event(event("e1"));
    reporter.event(event("e2"));
    reporter.close();
    reporter.event(event("e3")); // dropped at once: the agent is stopping
    brokerAnswers.countDown();
    awaitSent(2);
    assertEquals(List.of("e1", "e2"), sent);
  }

  private void awaitSent(int count) throws InterruptedException {
    for (int i = 0; i < 1000 && sent.size() < count; i++) {
      TimeUnit.MILLISECONDS.sleep(10);
    }
    assertEquals(count, sent.size(), () -> "sent: " + sent);
  }

  private void awaitBroker() {
    try {
      assertTrue(brokerAnswers.await(10, TimeUnit.SECONDS), "the test never let the broker answer");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static DeviceEvent event(String id) {
    return new DeviceEvent(
        id, "edge-1", Instant.EPOCH, EventType.DESIRED_ACCEPTED, 1, null, null, null, null, null);
  }

  private static ReportedState reported(long sequence) {
    return new ReportedState(
        "edge-1",
        Instant.EPOCH,
        sequence,
        "0.1.0",
        Map.of(),
        List.of(),
        List.of(),
        null,
        null,
        null,
        null);
  }
}
