package dev.ferry.hub.api;

/** Every error the API answers with, and its HTTP status: the one place they are mapped. */
public enum ErrorCode {
  /** The request is malformed or a field breaks a rule. */
  INVALID_REQUEST(400),
  /** No or an unknown bearer token. */
  UNAUTHENTICATED(401),
  /** The token's role may not do this. */
  FORBIDDEN(403),
  /** No such model, version or other resource. */
  NOT_FOUND(404),
  /** The resource exists already, for example a published version. */
  CONFLICT(409),
  /** The upload is larger than the hub accepts. */
  TOO_LARGE(413),
  /** The content is well formed but unusable: a model that does not load, bad golden vectors. */
  UNPROCESSABLE(422),
  /** A backing service (registry, database) failed; the request may be retried. */
  UNAVAILABLE(503),
  /** A bug in the hub. */
  INTERNAL(500);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }
}
