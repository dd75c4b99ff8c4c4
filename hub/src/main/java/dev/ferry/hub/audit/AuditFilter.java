package dev.ferry.hub.audit;

import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.security.Principal;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Audits every change made through the API: each successful POST, PUT, PATCH or DELETE under {@code
 * /api/}, with the token's name, the route, the path and the new resource's location. Never the
 * request body: it may hold secrets (a token's value) or a model.
 */
@Provider
public class AuditFilter implements ContainerResponseFilter {
  private static final Logger LOG = Logger.getLogger(AuditFilter.class);
  private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

  @Inject AuditLog audit;
  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    String method = request.getMethod();
    UriInfo uri = request.getUriInfo();
    String path = "/" + uri.getPath().replaceFirst("^/", "");
    int status = response.getStatus();
    if (!CHANGES.contains(method) || !path.startsWith("/api/") || status < 200 || status > 299) {
      return;
    }
    Principal who = request.getSecurityContext().getUserPrincipal();
    String actor = who == null ? "anonymous" : who.getName();
    Object location = response.getHeaders().getFirst("Location");
    try {
      audit.record(
          actor,
          method + " " + route(path),
          path,
          status + (location == null ? "" : " " + location));
    } catch (RuntimeException e) {
      // the change is committed; say so loudly rather than fail the caller's request
      LOG.errorf(
          "audit entry not written for %s %s by %s: %s", method, path, actor, e.getMessage());
    }
  }

  /** The matched resource's template: {@code /api/v1/rollouts/{id}/pause}. */
  private String route(String path) {
    if (resource == null || resource.getResourceClass() == null) {
      return path;
    }
    Path type = resource.getResourceClass().getAnnotation(Path.class);
    Path method = resource.getResourceMethod().getAnnotation(Path.class);
    String route =
        (type == null ? "" : type.value()) + (method == null ? "" : "/" + method.value());
    return route.replaceAll("/+", "/");
  }
}
