package dev.ferry.hub.capture;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.identity.BasicCredentials;
import dev.ferry.hub.identity.DeviceAccess;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.InputStream;
import java.time.Clock;

/**
 * Where an enrolled device uploads captured samples, authenticated as itself with HTTP Basic {@code
 * <id>:<broker password>}; the device id in the path must be the authenticated one.
 */
@Path("/api/v1/devices/{id}/captures")
@PermitAll
public class CaptureUploadResource {
  private final CaptureIntake intake;
  private final DeviceAccess access;
  private final Database db;
  private final Clock clock;
  private final JsonCodec codec = new JsonCodec();

  CaptureUploadResource(CaptureIntake intake, DeviceAccess access, Database db, Clock clock) {
    this.intake = intake;
    this.access = access;
    this.db = db;
    this.clock = clock;
  }

  /**
   * Stores a chunk of samples once per (device, sample id), all or none: 422 {@code UNPROCESSABLE}
   * with {@code details.refused} (the sample ids) when a sample is not for a model version the
   * device is assigned with capture on, or is beyond the policy's caps or the hub's limits.
   *
   * @param id the device
   * @param authorization the {@code Authorization} header
   * @param body a {@code ferry.capture/v1} upload, read only after the device is authenticated
   * @return the ids stored
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public CaptureReceipt upload(
      @PathParam("id") String id,
      @HeaderParam("Authorization") String authorization,
      InputStream body) {
    authenticate(id, authorization);
    // read once the device is known, and no more than an upload may hold: before, the whole body
    // (up to the hub's model-sized limit) was read into memory first, for anyone who sent it
    CaptureUpload upload = codec.decode(body, CaptureUpload.class);
    return db.transaction(c -> intake.receive(c, id, upload, clock.instant()));
  }

  private void authenticate(String id, String authorization) {
    boolean ok =
        BasicCredentials.parse(authorization)
            .filter(c -> c.user().equals(id) && access.authenticate(id, c.password()))
            .isPresent();
    if (!ok) {
      throw new ApiException(
          ErrorCode.UNAUTHENTICATED,
          "uploading captures needs Authorization: Basic <"
              + id
              + ":password> of an enrolled device");
    }
  }
}
