package dev.ferry.protocol.release;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.MaxBytes;
import dev.ferry.protocol.json.Schema;
import java.util.List;
import java.util.Map;

/**
 * The golden vectors layer of a model artifact: cases the agent runs on its own execution provider
 * before it lets a new version serve. One JSON file; its tensors carry JSON numbers or raw
 * little-endian bytes ({@link Tensor}), the hub packaging them raw.
 *
 * @param cases the cases, at least one
 * @param tolerances tolerances by output name; outputs not named use {@link Tolerance#DEFAULT}
 */
@Schema("ferry.golden/v1")
@MaxBytes(64 << 20)
public record GoldenVectors(List<GoldenCase> cases, Map<String, Tolerance> tolerances) {
  /** Checks the fields. */
  public GoldenVectors {
    cases = Fields.nonEmptyList(cases, "cases");
    tolerances = Fields.map(tolerances, "tolerances");
  }

  /**
   * The tolerance for one output.
   *
   * @param output the output name
   * @return its tolerance, or the default
   */
  public Tolerance tolerance(String output) {
    return tolerances.getOrDefault(output, Tolerance.DEFAULT);
  }
}
