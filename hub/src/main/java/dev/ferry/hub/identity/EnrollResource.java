package dev.ferry.hub.identity;

import dev.ferry.protocol.api.DeviceCredentials;
import dev.ferry.protocol.api.EnrollRequest;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/** Enrollment of a device with no identity yet: its enrollment token authenticates it. */
@Path("/api/v1/enroll")
@PermitAll
public class EnrollResource {
  private final JsonCodec codec = new JsonCodec();
  @Inject Enrollments enrollments;

  /**
   * Enrolls a device.
   *
   * @param body an {@link EnrollRequest}, read up to its 64 KiB: anyone may send one
   * @return 201 with the credentials, or 202 while an administrator has to accept the device
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response enroll(InputStream body) {
    DeviceCredentials answer = enrollments.enroll(codec.decode(body, EnrollRequest.class));
    boolean pending = IdentityState.PENDING.name().equals(answer.status());
    return Response.status(pending ? 202 : 201).entity(answer).build();
  }
}
