package dev.ferry.agent.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private final AtomicInteger released = new AtomicInteger();
  private final AtomicInteger abandoned = new AtomicInteger();
  private final Admission admission =
      new Admission(released::incrementAndGet, abandoned::incrementAndGet);

  @Test
  void aClientGoneDuringTheInference_keepsThePermitUntilTheInferenceEnds() {
    assertTrue(admission.start());
    admission.exchangeEnded();
    assertEquals(0, released.get());
    assertEquals(1, abandoned.get());
    admission.finish();
    assertEquals(1, released.get());
  }

  @Test
  void anAnsweredRequest_givesThePermitBackOnceWhenTheExchangeEnds() {
    assertTrue(admission.start());
    admission.finish();
    assertEquals(0, released.get());
    admission.exchangeEnded();
    admission.exchangeEnded();
    assertEquals(1, released.get());
    assertEquals(0, abandoned.get());
  }

  @Test
  void anExchangeEndedBeforeItsInference_givesThePermitBackAndRunsNothing() {
    admission.exchangeEnded();
    assertEquals(1, released.get());
    assertFalse(admission.start());
    assertEquals(1, released.get());
  }
}
