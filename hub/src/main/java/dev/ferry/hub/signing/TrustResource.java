package dev.ferry.hub.signing;

import dev.ferry.hub.access.Roles;
import dev.ferry.protocol.signing.Envelope;
import dev.ferry.protocol.signing.RootChain;
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
 * The trust roots agents are provisioned with and follow: DSSE envelopes ({@code
 * application/vnd.ferry.root+json}) of {@code ferry.root/v1} documents. Reading needs no token
 * (public keys only); deliver the first root to devices over a channel you trust.
 */
@Path("/api/v1/trust")
public class TrustResource {
  @Inject TrustChain chain;

  /** The newest signed root. */
  @GET
  @Path("root")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Envelope root() {
    return chain.latest();
  }

  /** Every signed root, version 1 first: what a device walks from the root it holds. */
  @GET
  @Path("roots")
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public RootChain roots() {
    return chain.chain();
  }

  /**
   * Adds root N+1 (from {@code ferry trust rotate}) and sends the chain to the fleet.
   *
   * @param next the signed root
   * @return the chain with it
   */
  @PUT
  @Path("root")
  @RolesAllowed(Roles.TRUST_ADMIN)
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public RootChain put(Envelope next) {
    return chain.append(next);
  }
}
