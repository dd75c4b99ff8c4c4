package dev.ferry.hub.audit;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.QueryParams;
import dev.ferry.protocol.api.AuditEntry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Who changed what, newest first; for release managers and admins. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RELEASE_MANAGER, Roles.ADMIN})
public class AuditResource {
  private static final int MAX = 1000;

  @Inject AuditLog audit;

  /**
   * @param actor only this token's changes ({@code hub}: the rollout engine's steps)
   * @param target only changes to targets starting with this ({@code /api/v1/rollouts/…})
   * @param before only entries numbered below this, to page back
   * @param limit at most this many, 1 to 1000
   * @return newest first
   */
  @GET
  public List<AuditEntry> list(
      @QueryParam("actor") String actor,
      @QueryParam("target") String target,
      @QueryParam("before") String before,
      @QueryParam("limit") @DefaultValue("100") String limit) {
    return audit.newest(
        QueryParams.text(actor),
        QueryParams.text(target),
        QueryParams.text(before) == null
            ? null
            : (long) QueryParams.number("before", before, 1, Integer.MAX_VALUE),
        QueryParams.number("limit", limit, 1, MAX));
  }
}
