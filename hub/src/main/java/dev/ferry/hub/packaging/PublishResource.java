package dev.ferry.hub.packaging;

import dev.ferry.hub.access.Roles;
import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.config.HubConfig;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import dev.ferry.protocol.release.SessionHints;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * {@code POST /api/v1/models/{name}/versions}: publish a release from an uploaded ONNX model; 201
 * when published, 202 when it waits for its statement signed offline ({@link StatementResource}).
 */
@Path("/api/v1/models/{name}/versions")
public class PublishResource {
  private static final JsonCodec CODEC = new JsonCodec();

  @Inject Publisher publisher;
  @Inject VariantPublisher variantPublisher;
  @Inject HubConfig config;

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.RELEASE_MANAGER)
  public Response publish(
      @PathParam("name") String name,
      @RestForm("model") FileUpload model,
      @RestForm("golden") FileUpload golden,
      @RestForm("version") String version,
      @RestForm("description") String description,
      @RestForm("license") String license,
      @RestForm("executionProviders") String executionProviders,
      @RestForm("shapes") String shapes,
      @RestForm("expiresAt") String expiresAt,
      @RestForm("sessionHints") String sessionHints,
      @RestForm("interfaceChange") String interfaceChange,
      @RestForm("variant") List<String> variants,
      @RestForm(FileUpload.ALL) List<FileUpload> uploads,
      @Context SecurityContext security) {
    if (variants != null && !variants.isEmpty()) {
      Submission common =
          new Submission(
              name,
              version,
              null,
              null,
              blankToNull(description),
              blankToNull(license),
              providers(executionProviders),
              shapes,
              instant(expiresAt),
              hints(sessionHints),
              flag(interfaceChange, "interfaceChange"));
      return publishVariants(common, model != null || golden != null, variants, uploads, security);
    }
    if (model == null) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "model is missing: send the ONNX file as the multipart field 'model'",
          Map.of("field", "model"));
    }
    if (model.size() > config.maxModelSize()) {
      throw new ApiException(
          ErrorCode.TOO_LARGE,
          "model of "
              + model.size()
              + " bytes exceeds ferry.hub.max-model-size "
              + config.maxModelSize());
    }
    Submission submission =
        new Submission(
            name,
            version,
            model.uploadedFile(),
            golden == null ? null : golden.uploadedFile(),
            blankToNull(description),
            blankToNull(license),
            providers(executionProviders),
            shapes,
            instant(expiresAt),
            hints(sessionHints),
            flag(interfaceChange, "interfaceChange"));
    return answer(publisher.publish(submission, security.getUserPrincipal().getName()));
  }

  /** 201 when published; 202 when it waits for its statement signed with the offline key. */
  private static Response answer(Release release) {
    int status = ReleaseSigning.published(release) ? 201 : 202;
    return Response.status(status).entity(release.toApi()).build();
  }

  private Response publishVariants(
      Submission common,
      boolean singleFileToo,
      List<String> variants,
      List<FileUpload> uploads,
      SecurityContext security) {
    if (singleFileToo) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "send either 'model' or 'variant' fields with their files, not both",
          Map.of("field", "model"));
    }
    VariantSubmission submission =
        new VariantSubmission(common, VariantForm.read(variants, uploads, config.maxModelSize()));
    return answer(variantPublisher.publish(submission, security.getUserPrincipal().getName()));
  }

  private static List<String> providers(String list) {
    return list == null || list.isBlank()
        ? List.of()
        : Arrays.stream(list.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList();
  }

  private static Instant instant(String text) {
    try {
      return text == null || text.isBlank() ? null : Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "expiresAt must be an instant such as 2027-01-31T00:00:00Z, got " + Fields.show(text),
          Map.of("field", "expiresAt"));
    }
  }

  /** The session hints (a JSON object), or none; a broken rule is a 400 naming field and value. */
  private static SessionHints hints(String json) {
    if (json == null || json.isBlank()) {
      return SessionHints.NONE;
    }
    try {
      return CODEC.decode(json.getBytes(StandardCharsets.UTF_8), SessionHints.class);
    } catch (MalformedMessageException e) {
      throw new ApiException(
          ErrorCode.INVALID_REQUEST,
          "sessionHints: " + e.getMessage().replaceFirst("^SessionHints: ", ""),
          Map.of("field", "sessionHints"));
    }
  }

  /** Absent or blank is false; anything but true or false is a 400 naming field and value. */
  private static boolean flag(String text, String field) {
    if (text == null || text.isBlank()) {
      return false;
    }
    return switch (text.strip()) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ApiException(
              ErrorCode.INVALID_REQUEST,
              field + " must be true or false, got " + Fields.show(text),
              Map.of("field", field));
    };
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
