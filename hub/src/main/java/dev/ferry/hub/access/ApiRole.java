package dev.ferry.hub.access;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.protocol.json.Fields;
import java.util.Arrays;
import java.util.Set;

/**
 * What an API token may do (not a trust role: see {@code dev.ferry.protocol.signing.Role}). Each
 * role includes the ones below it.
 */
public enum ApiRole {
  /** Reads the catalog, fleet and rollouts. */
  VIEWER(Roles.VIEWER),
  /** Also publishes releases and runs rollouts. */
  RELEASE_MANAGER(Roles.RELEASE_MANAGER),
  /** Also manages tokens. */
  ADMIN(Roles.ADMIN);

  private final String id;

  ApiRole(String id) {
    this.id = id;
  }

  /** The role's name in the API and in {@code @RolesAllowed}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** This role's name and those of the roles it includes. */
  public Set<String> granted() {
    return Set.copyOf(
        Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(ApiRole::id).toList());
  }

  /**
   * The role of that name.
   *
   * @param id the name
   * @return the role
   * @throws IllegalArgumentException naming the value if there is no such role
   */
  public static ApiRole of(String id) {
    return Arrays.stream(values())
        .filter(r -> r.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new dev.ferry.protocol.json.FieldException(
                    "role",
                    "must be one of admin, release-manager, viewer, got " + Fields.show(id)));
  }
}
