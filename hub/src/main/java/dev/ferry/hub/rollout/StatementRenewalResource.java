package dev.ferry.hub.rollout;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.catalog.Release;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code POST /api/v1/trust/statements/renew}: after a routine rotation of the release key, signs
 * the statement of every published release again with the hub's release key ({@link
 * StatementRenewal}).
 */
@Path("/api/v1/trust/statements")
public class StatementRenewalResource {
  @Inject StatementRenewal renewal;
  @Inject Resigner resigner;

  /**
   * Signs them again; the desired states that assign them follow.
   *
   * @return the releases signed again, none when every statement verifies
   */
  @POST
  @Path("renew")
  @RolesAllowed(Roles.RELEASE_MANAGER)
  @Produces(MediaType.APPLICATION_JSON)
  public List<dev.ferry.protocol.api.Release> renew() {
    List<Release> renewed = renewal.renewAll();
    if (!renewed.isEmpty()) {
      resigner.runSoon();
    }
    return renewed.stream().map(Release::toApi).toList();
  }
}
