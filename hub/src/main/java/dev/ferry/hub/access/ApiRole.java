package dev.ferry.hub.access;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.ferry.protocol.json.Fields;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an API token may do (not a trust role: see {@code dev.ferry.protocol.signing.Role}). Each
 * role includes the ones it names; {@code admin} includes all.
 */
public enum ApiRole {
  /** Reads the catalog, fleet and rollouts. */
  VIEWER(Roles.VIEWER),
  /** Also publishes releases and runs rollouts. */
  RELEASE_MANAGER(Roles.RELEASE_MANAGER, VIEWER),
  /** Reads, and uploads the next signed trust root; cannot publish or roll out. */
  TRUST_ADMIN(Roles.TRUST_ADMIN, VIEWER),
  /** Also manages tokens. */
  ADMIN(Roles.ADMIN, VIEWER, RELEASE_MANAGER, TRUST_ADMIN);

  private final String id;
  private final List<ApiRole> includes;

  ApiRole(String id, ApiRole... includes) {
    this.id = id;
    this.includes = List.of(includes);
  }

  /** The role's name in the API and in {@code @RolesAllowed}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** This role's name and those of the roles it includes. */
  public Set<String> granted() {
    Set<String> granted = new TreeSet<>(includes.stream().map(ApiRole::id).toList());
    granted.add(id);
    return Set.copyOf(granted);
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
                    "must be one of admin, release-manager, trust-admin, viewer, got "
                        + Fields.show(id)));
  }
}
