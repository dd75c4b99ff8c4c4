package dev.ferry.hub.catalog;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.protocol.api.ModelDetail;
import dev.ferry.protocol.api.ModelSummary;
import dev.ferry.protocol.json.Fields;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Reads the catalog: models and their releases. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ModelResource {
  @Inject Catalog catalog;

  @GET
  public List<ModelSummary> models() {
    return catalog.models();
  }

  @GET
  @Path("{name}")
  public ModelDetail model(@PathParam("name") String name) {
    return catalog
        .model(name)
        .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no model " + Fields.show(name)));
  }

  @GET
  @Path("{name}/versions/{version}")
  public dev.ferry.protocol.api.Release release(
      @PathParam("name") String name, @PathParam("version") String version) {
    return catalog
        .release(name, version)
        .map(Release::toApi)
        .orElseThrow(
            () ->
                new ApiException(
                    ErrorCode.NOT_FOUND,
                    "model " + Fields.show(name) + " has no version " + Fields.show(version)));
  }
}
