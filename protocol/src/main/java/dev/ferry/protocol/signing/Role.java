package dev.ferry.protocol.signing;

import com.fasterxml.jackson.annotation.JsonValue;

/** The signing roles of a trust root. */
public enum Role {
  /** Signs trust roots, including their own rotation. */
  ROOT("root"),
  /** Signs release statements; kept offline or in a release pipeline. */
  RELEASE("release"),
  /** The hub's online key; signs desired states. */
  HUB("hub");

  private final String id;

  Role(String id) {
    this.id = id;
  }

  /** The role's name in a trust root document. */
  @JsonValue
  public String id() {
    return id;
  }
}
