package dev.ferry.hub.identity;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** The device CA's certificate and CRL, public: brokers and devices fetch them. */
@Path("/api/v1/identity")
@PermitAll
public class IdentityResource {
  private static final String PEM = "application/x-pem-file";

  @Inject DeviceCa ca;

  @GET
  @Path("ca")
  @Produces(PEM)
  public String caCertificate() {
    return Pem.write(ca.caCertificate());
  }

  @GET
  @Path("crl")
  @Produces(PEM)
  public String crl() {
    return ca.crlPem();
  }
}
