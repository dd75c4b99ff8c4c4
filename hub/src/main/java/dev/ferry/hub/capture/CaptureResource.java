package dev.ferry.hub.capture;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The capture datasets of a model version: listed for anyone who may read, packed on request. */
@Path("/api/v1/models/{model}/versions/{version}/captures")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class CaptureResource {
  private final Captures captures;
  private final CapturePolicies policies;
  private final Clock clock;
  private final JsonCodec codec = new JsonCodec();

  CaptureResource(Captures captures, CapturePolicies policies, Clock clock) {
    this.captures = captures;
    this.policies = policies;
    this.clock = clock;
  }

  /**
   * The capture policy of the version.
   *
   * @param model the model
   * @param version the version
   * @return the policy
   */
  @GET
  @Path("policy")
  public CapturePolicy policy(
      @PathParam("model") String model, @PathParam("version") String version) {
    return policies
        .of(model, version)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.NOT_FOUND,
                    "model '" + model + "' version '" + version + "' has no capture policy"));
  }

  /**
   * Sets the capture policy of the version; devices get it with their next signed desired state.
   *
   * @param model the model
   * @param version the version
   * @param body the policy
   * @return the policy
   */
  @PUT
  @Path("policy")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public CapturePolicy setPolicy(
      @PathParam("model") String model, @PathParam("version") String version, byte[] body)
      throws IOException {
    CapturePolicy policy = codec.decode(body, CapturePolicy.class);
    policies.set(model, version, policy);
    return policy;
  }

  /**
   * Switches capture off for the version.
   *
   * @param model the model
   * @param version the version
   */
  @DELETE
  @Path("policy")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public void clearPolicy(@PathParam("model") String model, @PathParam("version") String version)
      throws IOException {
    policies.clear(model, version);
  }

  /**
   * The datasets, oldest first.
   *
   * @param model the model
   * @param version the version
   * @return their summaries with sample counts
   */
  @GET
  public List<DatasetSummary> list(
      @PathParam("model") String model, @PathParam("version") String version) throws IOException {
    return captures.list(model, version);
  }

  /**
   * One dataset.
   *
   * @param model the model
   * @param version the version
   * @param name the dataset
   * @return its summary
   */
  @GET
  @Path("{dataset}")
  public DatasetSummary get(
      @PathParam("model") String model,
      @PathParam("version") String version,
      @PathParam("dataset") String name)
      throws IOException {
    return captures
        .find(model, version, name)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.NOT_FOUND,
                    "model '"
                        + model
                        + "' version '"
                        + version
                        + "' has no dataset '"
                        + name
                        + "'"));
  }

  /**
   * Packs the samples waiting for a day into datasets now.
   *
   * @param model the model
   * @param version the version
   * @param day the UTC day, {@code yyyy-mm-dd}; today when absent
   * @return the datasets made
   */
  @POST
  @Path("pack")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public List<DatasetSummary> pack(
      @PathParam("model") String model,
      @PathParam("version") String version,
      @QueryParam("day") String day)
      throws IOException {
    return captures.pack(model, version, day(day), policies.of(model, version).orElse(null));
  }

  private LocalDate day(String day) {
    if (day == null) {
      return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(day);
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "day must be yyyy-mm-dd, got '" + day + "'");
    }
  }
}
