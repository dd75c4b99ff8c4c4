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
import java.io.InputStream;
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
    PolicyScope scope = PolicyScope.version(model, version);
    return policies.of(scope).orElseThrow(() -> noPolicy(scope));
  }

  /**
   * Sets the capture policy of the version and re-signs the desired states of the devices it is
   * assigned to.
   *
   * @param model the model
   * @param version the version
   * @param body the policy
   * @return the policy and how many devices got it
   */
  @PUT
  @Path("policy")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public PolicyChange setPolicy(
      @PathParam("model") String model, @PathParam("version") String version, InputStream body) {
    CapturePolicy policy = codec.decode(body, CapturePolicy.class);
    return new PolicyChange(policy, policies.set(PolicyScope.version(model, version), policy));
  }

  /**
   * Switches capture off for the version (where no rollout policy applies) and re-signs its
   * devices' desired states.
   *
   * @param model the model
   * @param version the version
   * @return how many devices got a new desired state
   */
  @DELETE
  @Path("policy")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public PolicyChange clearPolicy(
      @PathParam("model") String model, @PathParam("version") String version) {
    PolicyScope scope = PolicyScope.version(model, version);
    return PolicyChange.cleared(scope, policies.clear(scope));
  }

  static ApiException noPolicy(PolicyScope scope) {
    return new ApiException(ErrorCode.NOT_FOUND, scope + " has no capture policy");
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
      @PathParam("model") String model, @PathParam("version") String version) {
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
      @PathParam("dataset") String name) {
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
      @QueryParam("day") String day) {
    return captures.pack(model, version, day(day));
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
