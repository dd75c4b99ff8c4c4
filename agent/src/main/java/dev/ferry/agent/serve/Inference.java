package dev.ferry.agent.serve;

import dev.ferry.agent.capture.Capture;
import dev.ferry.agent.config.AgentConfig;
import dev.ferry.agent.health.AssignedModels;
import dev.ferry.agent.runtime.InferenceFailedException;
import dev.ferry.agent.runtime.InputRefusedException;
import dev.ferry.agent.runtime.Lease;
import dev.ferry.agent.runtime.LoadedVersion;
import dev.ferry.agent.runtime.ModelSlot;
import dev.ferry.agent.runtime.Models;
import dev.ferry.agent.telemetry.ServedBy;
import dev.ferry.agent.telemetry.ServingMeters;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.ServingSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Open Inference Protocol's operations, whatever the transport: REST ({@link InferRoute},
 * {@link InferenceResource}) and gRPC call the same checks and the same runs, and throw the same
 * exceptions.
 */
@ApplicationScoped
public class Inference {
  private final Models models;
  private final ServerMetadata server;
  private final AssignedModels readiness;
  private final ServingMeters meters;
  private final long maxTensorBytes;
  private final Capture capture;

  Inference(
      Models models,
      AssignedModels readiness,
      ServingMeters meters,
      Capture capture,
      AgentConfig config,
      @ConfigProperty(name = "quarkus.application.name") String name,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String version) {
    this.models = models;
    this.readiness = readiness;
    this.meters = meters;
    this.capture = capture;
    this.maxTensorBytes = config.serve().maxTensorBytes();
    this.server = new ServerMetadata(name, version, List.of("binary_tensor_data"));
  }

  /** The server's name, version and extensions. */
  public ServerMetadata server() {
    return server;
  }

  /** Whether every assigned model serves. */
  public boolean ready() {
    return readiness.serving();
  }

  /**
   * A model's metadata, from its active version or the one named.
   *
   * @param version null or empty for the active one
   * @throws UnknownModelException if the model or the version does not serve
   */
  public ModelMetadata metadata(String model, String version) {
    ModelSlot slot = slot(model);
    LoadedVersion chosen = isActive(version) ? slot.active() : find(slot, version);
    List<String> versions = slot.versions().stream().map(LoadedVersion::version).toList();
    ServingSpec spec = chosen.spec();
    return new ModelMetadata(
        slot.model(), versions, ServingSpec.ONNX_PLATFORM, spec.inputs(), spec.outputs());
  }

  /**
   * Checks that a model (and version) serves: a model that serves is ready.
   *
   * @param version null or empty for the active one
   * @throws UnknownModelException if not
   */
  public void requireReady(String model, String version) {
    ModelSlot slot = slot(model);
    if (!isActive(version)) {
      find(slot, version);
    }
  }

  /**
   * Checks a request against the version, runs it and counts the outcome.
   *
   * @param version null or empty for the active one
   * @throws UnknownModelException if the model or the version does not serve
   * @throws InvalidRequestException if the request does not fit the version
   * @throws TensorBudgetException if its tensors take more than allowed
   */
  public InferAnswer infer(String model, String version, InferRequest request) {
    ModelSlot slot = slot(model);
    try (Lease lease = isActive(version) ? slot.acquire() : lease(slot, version)) {
      return infer(slot, lease, request);
    }
  }

  private static boolean isActive(String version) {
    return version == null || version.isEmpty();
  }

  private static Lease lease(ModelSlot slot, String version) {
    return slot.acquire(version).orElseThrow(() -> notServing(slot, version));
  }

  private InferAnswer infer(ModelSlot slot, Lease lease, InferRequest request) {
    LoadedVersion version = lease.version();
    long start = System.nanoTime();
    String error = ServingMeters.INVALID_REQUEST;
    try {
      Set<String> outputs = checked(request, version);
      error = ServingMeters.INFERENCE_FAILED;
      InferAnswer answer = run(slot, lease, request, outputs);
      error = null;
      return answer;
    } catch (InputRefusedException e) {
      error = ServingMeters.INVALID_REQUEST;
      throw e;
    } finally {
      meters.record(servedBy(slot, version), System.nanoTime() - start, error);
    }
  }

  private static ServedBy servedBy(ModelSlot slot, LoadedVersion version) {
    return new ServedBy(slot.model(), version.version(), version.variant(), version.provider());
  }

  /**
   * Checks the request against the version and the memory budget; returns the outputs asked for.
   */
  private Set<String> checked(InferRequest request, LoadedVersion version) {
    RequestCheck.inputs(request, version);
    Set<String> outputs = RequestCheck.outputs(request, version);
    TensorBudget.check(request.inputs(), version.signature(), maxTensorBytes);
    return outputs;
  }

  /**
   * Runs the request and counts the outcome for probation; what ONNX Runtime refuses as the
   * request's fault does not count.
   */
  private InferAnswer run(ModelSlot slot, Lease lease, InferRequest request, Set<String> outputs) {
    LoadedVersion version = lease.version();
    List<ArrayTensor> result;
    try {
      result = List.copyOf(lease.run(request.inputs(), outputs).values());
    } catch (InferenceFailedException e) {
      slot.record(version, true);
      offer(slot, version, request, List.of(), true);
      throw e;
    }
    slot.record(version, false);
    offer(slot, version, request, result, false);
    return new InferAnswer(slot.model(), version.version(), result);
  }

  /** Hands the request to capture, which decides at once and never waits. */
  private void offer(
      ModelSlot slot,
      LoadedVersion version,
      InferRequest request,
      Collection<ArrayTensor> outputs,
      boolean failed) {
    capture.offer(
        slot.model(),
        version.version(),
        version.spec().forbidsCapture(),
        request.inputs(),
        outputs,
        failed);
  }

  private ModelSlot slot(String model) {
    if (models.restoring(model)) {
      throw new ModelRestoringException(model);
    }
    return models.slot(model).orElseThrow(() -> unknown(model));
  }

  private UnknownModelException unknown(String model) {
    String message =
        models
            .stopped(model)
            .orElseGet(() -> "unknown model '" + model + "'; serving " + models.names());
    return new UnknownModelException(message);
  }

  private static LoadedVersion find(ModelSlot slot, String version) {
    return slot.version(version).orElseThrow(() -> notServing(slot, version));
  }

  private static UnknownModelException notServing(ModelSlot slot, String version) {
    return new UnknownModelException(
        "model '"
            + slot.model()
            + "' has no version '"
            + version
            + "' serving; serving "
            + slot.versions().stream().map(LoadedVersion::version).toList());
  }
}
