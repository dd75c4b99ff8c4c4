package dev.ferry.hub.access;

/** API role names as constants, for {@code @RolesAllowed}. */
public final class Roles {
  /** See {@link ApiRole#ADMIN}. */
  public static final String ADMIN = "admin";

  /** See {@link ApiRole#RELEASE_MANAGER}. */
  public static final String RELEASE_MANAGER = "release-manager";

  /** See {@link ApiRole#TRUST_ADMIN}. */
  public static final String TRUST_ADMIN = "trust-admin";

  /** See {@link ApiRole#VIEWER}. */
  public static final String VIEWER = "viewer";

  private Roles() {}
}
