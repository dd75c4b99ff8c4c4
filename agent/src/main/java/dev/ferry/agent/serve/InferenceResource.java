package dev.ferry.agent.serve;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Open Inference Protocol (KServe V2) REST: server and model metadata and readiness; infer itself
 * is {@link InferRoute}.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InferenceResource {
  private final Inference inference;

  InferenceResource(Inference inference) {
    this.inference = inference;
  }

  @GET
  public ServerMetadata server() {
    return inference.server();
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
    boolean ready = inference.ready();
    return Response.status(ready ? 200 : 400).entity(Map.of("ready", ready)).build();
  }

  @GET
  @Path("/models/{model}")
  public ModelMetadata model(@PathParam("model") String model) {
    return inference.metadata(model, null);
  }

  @GET
  @Path("/models/{model}/versions/{version}")
  public ModelMetadata version(
      @PathParam("model") String model, @PathParam("version") String version) {
    return inference.metadata(model, version);
  }

  @GET
  @Path("/models/{model}/ready")
  public Map<String, Object> modelReady(@PathParam("model") String model) {
    inference.requireReady(model, null);
    return Map.of("name", model, "ready", true);
  }

  @GET
  @Path("/models/{model}/versions/{version}/ready")
  public Map<String, Object> versionReady(
      @PathParam("model") String model, @PathParam("version") String version) {
    inference.requireReady(model, version);
    return Map.of("name", model, "version", version, "ready", true);
  }
}
