package dev.ferry.hub.signing;

import dev.ferry.protocol.signing.Envelope;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The trust root agents are provisioned with: a DSSE envelope ({@code
 * application/vnd.ferry.root+json}) of the {@code ferry.root/v1} document, signed by the root key.
 * Public keys only, so it needs no token; deliver it to devices over a channel you trust.
 */
@Path("/api/v1/trust/root")
public class TrustResource {
  @Inject HubKeys keys;

  @GET
  @PermitAll
  @Produces(MediaType.APPLICATION_JSON)
  public Envelope root() {
    return keys.signedTrustRoot();
  }
}
