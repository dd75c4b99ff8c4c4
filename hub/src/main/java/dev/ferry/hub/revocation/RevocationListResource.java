package dev.ferry.hub.revocation;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.signing.Envelope;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/trust/revocations}: the signed revocation list, the same envelope devices
 * receive on {@code ferry/v1/trust/revocations}. Public facts, signed, so it needs no token. With
 * the release key offline, {@code GET …/pending} serves the exact payload of the next list to sign
 * and {@code PUT} takes it signed.
 */
@Path("/api/v1/trust/revocations")
public class RevocationListResource {
  @Inject RevocationList list;

  @GET
  @Path("pending")
  @RolesAllowed(Roles.VIEWER)
  @Produces(MediaType.APPLICATION_JSON)
  public byte[] pending() {
    return list.pending()
        .orElseThrow(
            () -> new ApiException(ErrorCode.NOT_FOUND, "no revocation list waits for a signature"))
        .bytes();
  }

  @PUT
  @RolesAllowed(Roles.RELEASE_MANAGER)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Envelope submit(Envelope signed) {
    if (signed == null) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST, "the signed revocation list (a DSSE envelope) is missing");
    }
    return list.submit(signed);
  }

  @GET
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Envelope revocations() {
    return list.signed()
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.NOT_FOUND,
                    "no revocation list is signed yet: the release key has been offline"));
  }
}
