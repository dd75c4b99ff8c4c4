package dev.ferry.agent.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.onnx.OrtTensors;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A model version with its ONNX Runtime session, reference-counted: the session is closed only once
 * the version is retired and no request holds it (onnxruntime#21812).
 */
public final class LoadedVersion {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /** ONNX Runtime's run option that shrinks the named devices' arenas at the end of a run. */
  static final String SHRINK_ARENA = "memory.enable_memory_arena_shrinkage";

  private final OrtSession session;
  private final ServingSpec spec;
  private final SessionPlan plan;
  private final Signature signature;
  private final Predicate<LoadedVersion> stillProven;
  private final String variant;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private int references;
  private boolean retired;
  private boolean closed;

  /**
   * @param stillProven whether the version passes its golden cases (lately: {@link RecentProof}):
   *     asked when a request fails in a way its inputs may have caused ({@link Blame})
   * @param variant the release variant it is, or null for a release of one model file
   */
  LoadedVersion(
      OrtSession session,
      ServingSpec spec,
      SessionPlan plan,
      Signature signature,
      Predicate<LoadedVersion> stillProven,
      String variant) {
    this.session = session;
    this.spec = spec;
    this.plan = plan;
    this.signature = signature;
    this.stillProven = stillProven;
    this.variant = variant;
  }

  /** The release's serving.json. */
  public ServingSpec spec() {
    return spec;
  }

  /** The release version. */
  public String version() {
    return spec.version();
  }

  /** The release variant this version is, or null for a release of one model file. */
  public String variant() {
    return variant;
  }

  /** The execution provider the session runs on. */
  public String provider() {
    return plan.provider();
  }

  /** The session options it was built with: the release's hints and the device's settings. */
  public SessionPlan plan() {
    return plan;
  }

  /**
   * The inputs a request must match: serving.json's, with dimensions fixed wherever the model fixes
   * them.
   */
  public List<TensorSpec> inputs() {
    return signature.inputs();
  }

  /** The tensors as this version serves them, with the model's dimension names. */
  public Signature signature() {
    return signature;
  }

  /** Requests run on this version. */
  public long requests() {
    return requests.get();
  }

  /** Requests that failed inside ONNX Runtime, not counting those it refused as invalid input. */
  public long errors() {
    return errors.get();
  }

  /**
   * Takes a reference; false once the version is retired, so that no request starts on a version
   * taken out of service (those already holding one finish).
   */
  public synchronized boolean acquire() {
    if (retired) {
      return false;
    }
    references++;
    return true;
  }

  /** Drops a reference; closes the session if this was the last one of a retired version. */
  public synchronized void release() {
    if (references <= 0) {
      throw new IllegalStateException("version " + version() + " released more than acquired");
    }
    references--;
    closeIfDrained();
  }

  /** Marks the version as out of service; the session closes once no request holds it. */
  public synchronized void retire() {
    retired = true;
    closeIfDrained();
  }

  /** Whether the session has been closed. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** References held now. */
  public synchronized int references() {
    return references;
  }

  /**
   * Runs a request and counts it; the caller holds a reference. A failure is the request's ({@link
   * InputRefusedException}, not counted as an error) or the version's ({@link
   * InferenceFailedException}, counted), as {@link Blame} decides.
   */
  Map<String, ArrayTensor> serve(List<ArrayTensor> feed, Set<String> outputs) {
    requests.incrementAndGet();
    try {
      return session(feed, outputs, null);
    } catch (OrtException e) {
      if (Blame.of(e.getCode(), () -> stillProven.test(this)) == Blame.REQUEST) {
        throw refused(e);
      }
      errors.incrementAndGet();
      throw failed(e);
    } catch (InferenceFailedException e) {
      errors.incrementAndGet();
      throw e;
    }
  }

  /**
   * Runs the session for a check of the version (its golden vectors); the caller holds a reference
   * or owns the version. Where the CPU memory arena is on, it gives back after the run what the run
   * grew it by, so that a check at load leaves the version's idle memory as it found it (the first
   * request grows it again).
   */
  Map<String, ArrayTensor> run(List<ArrayTensor> feed, Set<String> outputs) {
    try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
      if (plan.shrinksCpuArenaAfterChecks()) {
        options.addRunConfigEntry(SHRINK_ARENA, "cpu:0");
      }
      return session(feed, outputs, options);
    } catch (OrtException e) {
      throw e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT ? refused(e) : failed(e);
    }
  }

  private Map<String, ArrayTensor> session(
      List<ArrayTensor> feed, Set<String> outputs, OrtSession.RunOptions options)
      throws OrtException {
    List<OnnxTensor> created = new ArrayList<>();
    try {
      Map<String, OnnxTensor> named = new LinkedHashMap<>();
      for (ArrayTensor tensor : feed) {
        OnnxTensor onnx = OrtTensors.create(ENV, tensor);
        created.add(onnx);
        named.put(tensor.name(), onnx);
      }
      try (OrtSession.Result result = run(named, outputs, options)) {
        return read(result);
      }
    } catch (RuntimeException e) {
      throw new InferenceFailedException(what() + "failed: " + e.getMessage(), e);
    } finally {
      created.forEach(OnnxTensor::close);
    }
  }

  private OrtSession.Result run(
      Map<String, OnnxTensor> named, Set<String> outputs, OrtSession.RunOptions options)
      throws OrtException {
    if (options == null) {
      return outputs.isEmpty() ? session.run(named) : session.run(named, outputs);
    }
    return outputs.isEmpty() ? session.run(named, options) : session.run(named, outputs, options);
  }

  private InputRefusedException refused(OrtException e) {
    return new InputRefusedException(what() + "refused the request: " + e.getMessage(), e);
  }

  private InferenceFailedException failed(OrtException e) {
    return new InferenceFailedException(what() + "failed: " + e.getMessage(), e);
  }

  private String what() {
    return "model '" + spec.model() + "' version '" + version() + "' ";
  }

  private static Map<String, ArrayTensor> read(OrtSession.Result result) throws OrtException {
    Map<String, ArrayTensor> outputs = new LinkedHashMap<>();
    for (Map.Entry<String, OnnxValue> entry : result) {
      outputs.put(entry.getKey(), OrtTensors.read(entry.getKey(), (OnnxTensor) entry.getValue()));
    }
    return outputs;
  }

  private void closeIfDrained() {
    if (retired && references == 0 && !closed) {
      closed = true;
      close(session);
    }
  }

  static void close(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close an ONNX Runtime session", e);
    }
  }

  @Override
  public String toString() {
    return spec.model() + ":" + version() + "@" + plan.provider();
  }
}
