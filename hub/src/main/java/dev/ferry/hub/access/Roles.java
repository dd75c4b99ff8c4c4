package dev.ferry.hub.access;

/** Role names as constants, for {@code @RolesAllowed}. */
public final class Roles {
  /** See {@link Role#ADMIN}. */
  public static final String ADMIN = "admin";

  /** See {@link Role#RELEASE_MANAGER}. */
  public static final String RELEASE_MANAGER = "release-manager";

  /** See {@link Role#VIEWER}. */
  public static final String VIEWER = "viewer";

  private Roles() {}
}
