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
import dev.ferry.agent.telemetry.ServingMeters;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.release.ServingSpec;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Open Inference Protocol (KServe V2) REST; inference runs on worker threads. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InferenceResource {
  private final Models models;
  private final ServerMetadata server;
  private final AssignedModels readiness;
  private final ServingMeters meters;
  private final InferenceLimit limit;
  private final long maxTensorBytes;
  private final Capture capture;

  InferenceResource(
      Models models,
      AssignedModels readiness,
      ServingMeters meters,
      InferenceLimit limit,
      Capture capture,
      AgentConfig config,
      @ConfigProperty(name = "quarkus.application.name") String name,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String version) {
    this.models = models;
    this.readiness = readiness;
    this.meters = meters;
    this.limit = limit;
    this.capture = capture;
    this.maxTensorBytes = config.serve().maxTensorBytes();
    this.server = new ServerMetadata(name, version, List.of("binary_tensor_data"));
  }

  @GET
  public ServerMetadata server() {
    return server;
  }

  @GET
  @Path("/health/live")
  public Map<String, Boolean> live() {
    return Map.of("live", true);
  }

  /** OIP: 200 when every assigned model serves, else a 4xx (400), as the protocol says. */
  @GET
  @Path("/health/ready")
  public Response ready() {
    boolean ready = readiness.serving();
    return Response.status(ready ? 200 : 400).entity(Map.of("ready", ready)).build();
  }

  @GET
  @Path("/models/{model}")
  public ModelMetadata model(@PathParam("model") String model) {
    ModelSlot slot = slot(model);
    return metadata(slot, slot.active().spec());
  }

  @GET
  @Path("/models/{model}/versions/{version}")
  public ModelMetadata version(
      @PathParam("model") String model, @PathParam("version") String version) {
    ModelSlot slot = slot(model);
    return metadata(slot, find(slot, version).spec());
  }

  @GET
  @Path("/models/{model}/ready")
  public Map<String, Object> modelReady(@PathParam("model") String model) {
    return Map.of("name", slot(model).model(), "ready", true);
  }

  @GET
  @Path("/models/{model}/versions/{version}/ready")
  public Map<String, Object> versionReady(
      @PathParam("model") String model, @PathParam("version") String version) {
    find(slot(model), version);
    return Map.of("name", model, "version", version, "ready", true);
  }

  /**
   * OIP infer: a JSON body, or with the binary tensor data extension a JSON header of {@value
   * RequestParser#HEADER_LENGTH} bytes followed by the binary inputs.
   */
  @POST
  @Path("/models/{model}/infer")
  public Response infer(
      @PathParam("model") String model,
      @HeaderParam(RequestParser.HEADER_LENGTH) String headerLength,
      @Context RoutingContext exchange,
      byte[] body) {
    Admission.Hold running = limit.running(exchange);
    try {
      InferRequest request = RequestParser.parse(body, headerLength);
      ModelSlot slot = slot(model);
      try (Lease lease = slot.acquire()) {
        return infer(slot, lease, request);
      }
    } finally {
      running.close();
    }
  }

  @POST
  @Path("/models/{model}/versions/{version}/infer")
  public Response inferVersion(
      @PathParam("model") String model,
      @PathParam("version") String version,
      @HeaderParam(RequestParser.HEADER_LENGTH) String headerLength,
      @Context RoutingContext exchange,
      byte[] body) {
    Admission.Hold running = limit.running(exchange);
    try {
      InferRequest request = RequestParser.parse(body, headerLength);
      ModelSlot slot = slot(model);
      try (Lease lease = slot.acquire(version).orElseThrow(() -> notServing(slot, version))) {
        return infer(slot, lease, request);
      }
    } finally {
      running.close();
    }
  }

  private Response infer(ModelSlot slot, Lease lease, InferRequest request) {
    LoadedVersion version = lease.version();
    long start = System.nanoTime();
    String error = ServingMeters.INVALID_REQUEST;
    try {
      Set<String> outputs = checked(request, version);
      error = ServingMeters.INFERENCE_FAILED;
      Response answer = run(slot, lease, request, outputs);
      error = null;
      return answer;
    } catch (InputRefusedException e) {
      error = ServingMeters.INVALID_REQUEST;
      throw e;
    } finally {
      meters.record(
          slot.model(), version.version(), version.provider(), System.nanoTime() - start, error);
    }
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
   * Runs the request, counts the outcome for probation, and writes the answer; what ONNX Runtime
   * refuses as the request's fault does not count.
   */
  private Response run(ModelSlot slot, Lease lease, InferRequest request, Set<String> outputs) {
    LoadedVersion version = lease.version();
    Map<String, ArrayTensor> result;
    try {
      result = lease.run(request.inputs(), outputs);
    } catch (InferenceFailedException e) {
      slot.record(version, true);
      offer(slot, version, request, List.of(), true);
      throw e;
    }
    slot.record(version, false);
    offer(slot, version, request, result.values(), false);
    return ResponseWriter.write(slot.model(), version.version(), request, result.values());
  }

  /** Hands the request to capture, which decides at once and never waits. */
  private void offer(
      ModelSlot slot,
      LoadedVersion version,
      InferRequest request,
      java.util.Collection<ArrayTensor> outputs,
      boolean failed) {
    capture.offer(
        slot.model(),
        version.version(),
        version.spec().captureForbidden(),
        request.inputs(),
        outputs,
        failed);
  }

  private ModelSlot slot(String model) {
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

  private static ModelMetadata metadata(ModelSlot slot, ServingSpec spec) {
    List<String> versions = slot.versions().stream().map(LoadedVersion::version).toList();
    return new ModelMetadata(
        slot.model(), versions, ServingSpec.ONNX_PLATFORM, spec.inputs(), spec.outputs());
  }
}
