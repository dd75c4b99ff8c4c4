package dev.ferry.hub.revocation;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.signing.Envelope;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/trust/revocations}: the signed revocation list, the same envelope devices
 * receive on {@code ferry/v1/trust/revocations}. Public facts, signed, so it needs no token.
 */
@Path("/api/v1/trust/revocations")
public class RevocationListResource {
  @Inject RevocationList list;

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
