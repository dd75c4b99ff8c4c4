package dev.ferry.hub.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.FieldException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  private static final Map<String, String> BERLIN_CUDA = Map.of("site", "berlin", "accel", "cuda");

  private static boolean matches(String selector, Map<String, String> labels) {
    return LabelSelector.parse(selector).test(labels);
  }

  @Test
  void equality() {
    assertEquals(true, matches("site=berlin", BERLIN_CUDA));
    assertEquals(true, matches("site==berlin,accel=cuda", BERLIN_CUDA));
    assertEquals(false, matches("site=paris", BERLIN_CUDA));
    assertEquals(true, matches("site!=paris", BERLIN_CUDA));
    assertEquals(true, matches("line!=3", BERLIN_CUDA));
  }

  @Test
  void sets() {
    assertEquals(true, matches("accel in (cuda, trt)", BERLIN_CUDA));
    assertEquals(false, matches("accel notin (cuda,trt)", BERLIN_CUDA));
    assertEquals(true, matches("site in (berlin),accel notin (cpu)", BERLIN_CUDA));
  }

  @Test
  void existence() {
    assertEquals(true, matches("site", BERLIN_CUDA));
    assertEquals(true, matches("!legacy", BERLIN_CUDA));
    assertEquals(false, matches("!site", BERLIN_CUDA));
  }

  @Test
  void parse_namesTheBadRequirement() {
    assertEquals(
        "selector has a requirement that does not parse: 'site=>berlin'",
        assertThrows(FieldException.class, () -> LabelSelector.parse("accel=cuda, site=>berlin"))
            .getMessage());
  }
}
