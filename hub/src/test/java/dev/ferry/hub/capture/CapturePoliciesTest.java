package dev.ferry.hub.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.FieldException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturePoliciesTest {
  @TempDir Path dir;

  @Test
  void of_isEmptyUntilSetAndAfterCleared() throws IOException {
    CapturePolicies policies = new CapturePolicies(dir);
    CapturePolicy policy = CapturePolicy.sampling(0.01, 60, 1 << 20);
    assertEquals(Optional.empty(), policies.of("det", "1.0.0"));
    policies.set("det", "1.0.0", policy);
    assertEquals(Optional.of(policy), policies.of("det", "1.0.0"));
    assertEquals(Optional.empty(), policies.of("det", "1.0.1"));
    assertTrue(policies.clear("det", "1.0.0"));
    assertFalse(policies.clear("det", "1.0.0"));
    assertEquals(Optional.empty(), policies.of("det", "1.0.0"));
  }

  @Test
  void set_refusesAModelNameThatWouldLeaveTheFolder() {
    var error =
        assertThrows(
            FieldException.class,
            () -> new CapturePolicies(dir).set("..", "1.0.0", CapturePolicy.sampling(1, 1, 1)));
    assertEquals("model must match [a-z0-9]+(?:[._-][a-z0-9]+)*, got '..'", error.getMessage());
  }
}
