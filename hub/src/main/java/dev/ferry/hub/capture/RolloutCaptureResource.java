package dev.ferry.hub.capture;

import dev.ferry.hub.access.Roles;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;

/**
 * A rollout's capture policy: it applies to the devices the rollout assigned (narrowed by its own
 * selector) and wins over the release version's policy for them.
 */
@Path("/api/v1/rollouts/{id}/capture-policy")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class RolloutCaptureResource {
  private final CapturePolicies policies;
  private final JsonCodec codec = new JsonCodec();

  RolloutCaptureResource(CapturePolicies policies) {
    this.policies = policies;
  }

  /**
   * The rollout's policy.
   *
   * @param id the rollout
   * @return the policy
   */
  @GET
  public CapturePolicy policy(@PathParam("id") String id) {
    PolicyScope scope = policies.rolloutScope(id);
    return policies.of(scope).orElseThrow(() -> CaptureResource.noPolicy(scope));
  }

  /**
   * Sets the rollout's policy and re-signs the desired states of the devices it assigned.
   *
   * @param id the rollout
   * @param body the policy
   * @return the policy and how many devices got it
   */
  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public PolicyChange set(@PathParam("id") String id, InputStream body) {
    CapturePolicy policy = codec.decode(body, CapturePolicy.class);
    return new PolicyChange(policy, policies.set(policies.rolloutScope(id), policy));
  }

  /**
   * Clears the rollout's policy (the version's applies again) and re-signs its devices' states.
   *
   * @param id the rollout
   * @return how many devices got a new desired state
   */
  @DELETE
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public PolicyChange clear(@PathParam("id") String id) {
    PolicyScope scope = policies.rolloutScope(id);
    return PolicyChange.cleared(scope, policies.clear(scope));
  }
}
