package dev.ferry.hub.registry;

/** The distribution-spec error codes the registry answers with, each with its HTTP status. */
enum ErrorCode {
  BLOB_UNKNOWN(404),
  DIGEST_INVALID(400),
  MANIFEST_UNKNOWN(404),
  NAME_INVALID(400),
  NAME_UNKNOWN(404),
  /** No such endpoint: not a spec code; clients fall back on the status. */
  NOT_FOUND(404),
  /** As the Distribution registry names an unsatisfiable range. */
  RANGE_INVALID(416),
  /** As the Distribution registry names a reference that is neither a tag nor a digest. */
  TAG_INVALID(400),
  /** No credential, or one the hub refused ({@code ferry.hub.registry-auth}). */
  UNAUTHORIZED(401),
  UNSUPPORTED(405),
  UNKNOWN(500);

  final int status;

  ErrorCode(int status) {
    this.status = status;
  }
}
