package dev.ferry.hub.registry;

import java.util.Map;

/** A registry request the hub refuses, answered with a distribution-spec error body. */
final class DistributionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final ErrorCode code;
  final transient Map<String, String> detail;
  final transient Map<String, String> headers;

  DistributionException(ErrorCode code, String message, Map<String, String> detail) {
    this(code, message, detail, Map.of());
  }

  DistributionException(
      ErrorCode code, String message, Map<String, String> detail, Map<String, String> headers) {
    super(message, null, false, false);
    this.code = code;
    this.detail = Map.copyOf(detail);
    this.headers = Map.copyOf(headers);
  }
}
