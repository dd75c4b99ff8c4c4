package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.agent.sync.ConnectionOutage.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionOutageTest {
  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private final ConnectionOutage outage = new ConnectionOutage();

  @Test
  void failedConnects_warnAtTheStartAndEveryTenMinutes_andTheConnectionSaysHowLongItLasted() {
    assertEquals(Report.FIRST, outage.failed(T0));
    assertEquals(Report.QUIET, outage.failed(T0.plusSeconds(1)));
    assertEquals(Report.QUIET, outage.failed(T0.plusSeconds(599)));
    assertEquals(Report.AGAIN, outage.failed(T0.plusSeconds(600)));
    assertEquals(Report.QUIET, outage.failed(T0.plusSeconds(660)));
    assertEquals(Optional.of(T0), outage.since());

    assertEquals(Optional.of(Duration.ofSeconds(700)), outage.connected(T0.plusSeconds(700)));
    assertEquals(Optional.empty(), outage.since());
    assertEquals(Report.FIRST, outage.failed(T0.plusSeconds(800)), "a new outage");
  }

  @Test
  void aLostConnection_isTheOutagesFirstWarning() {
    outage.lost(T0);

    assertEquals(Report.QUIET, outage.failed(T0.plusSeconds(1)));
    assertEquals(Report.AGAIN, outage.failed(T0.plusSeconds(600)));
  }

  @Test
  void aConnection_withNoOutage_saysNothingLasted() {
    assertEquals(Optional.empty(), outage.connected(T0));
  }
}
