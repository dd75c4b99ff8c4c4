package dev.ferry.agent.runtime;

import dev.ferry.onnx.ArrayTensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** One request's hold on a version: its session stays open until the lease is closed. */
public final class Lease implements AutoCloseable {
  private final LoadedVersion version;
  private final AtomicBoolean closed = new AtomicBoolean();

  Lease(LoadedVersion version) {
    this.version = version;
  }

  /** The version this lease holds. */
  public LoadedVersion version() {
    return version;
  }

  /**
   * Runs the model.
   *
   * @param inputs one tensor per input, already checked against {@link LoadedVersion#inputs()}
   * @param outputs the outputs wanted; empty for all
   * @return the outputs by name
   * @throws InferenceFailedException if ONNX Runtime fails
   */
  public Map<String, ArrayTensor> run(List<ArrayTensor> inputs, Set<String> outputs) {
    if (closed.get()) {
      throw new IllegalStateException("lease on " + version + " is closed");
    }
    return version.serve(inputs, outputs);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      version.release();
    }
  }
}
