package dev.ferry.agent.serve;

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
import java.util.Map;

/** Open Inference Protocol (KServe V2) REST; inference runs on worker threads. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class InferenceResource {
  private final Inference inference;
  private final InferenceLimit limit;

  InferenceResource(Inference inference, InferenceLimit limit) {
    this.inference = inference;
    this.limit = limit;
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
    return infer(model, null, headerLength, exchange, body);
  }

  @POST
  @Path("/models/{model}/versions/{version}/infer")
  public Response inferVersion(
      @PathParam("model") String model,
      @PathParam("version") String version,
      @HeaderParam(RequestParser.HEADER_LENGTH) String headerLength,
      @Context RoutingContext exchange,
      byte[] body) {
    return infer(model, version, headerLength, exchange, body);
  }

  /** Runs the request while holding its permit, which a client that goes away does not free. */
  private Response infer(
      String model, String version, String headerLength, RoutingContext exchange, byte[] body) {
    try (Admission.Hold running = limit.running(exchange)) {
      InferRequest request = RequestParser.parse(body, headerLength);
      InferAnswer answer = inference.infer(model, version, request);
      return ResponseWriter.write(answer.model(), answer.version(), request, answer.outputs());
    }
  }
}
