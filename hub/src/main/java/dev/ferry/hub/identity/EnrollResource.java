package dev.ferry.hub.identity;

import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Enrollment of a device with no identity yet: its enrollment token authenticates it. */
@Path("/api/v1/enroll")
@PermitAll
public class EnrollResource {
  @Inject Enrollments enrollments;

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response enroll(EnrollRequest request) {
    DeviceCredentials answer = enrollments.enroll(request);
    boolean pending = IdentityState.PENDING.name().equals(answer.status());
    return Response.status(pending ? 202 : 201).entity(answer).build();
  }
}
