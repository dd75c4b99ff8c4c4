package dev.ferry.agent.fetch;

/** An artifact could not be fetched; the reason says whether trying later can help. */
public final class FetchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a fetch failed. */
  public enum Reason {
    /** The manifest's bytes do not hash to the signed digest. */
    MANIFEST_MISMATCH,
    /** A blob does not hash to its descriptor's digest. */
    BLOB_MISMATCH,
    /** A blob is longer than its descriptor says. */
    BLOB_TOO_LARGE,
    /** No data arrived within the idle timeout, every try. */
    STALLED,
    /** The manifest is not a Ferry model artifact. */
    INVALID_ARTIFACT,
    /** The registry could not be reached or failed, every try. */
    UNAVAILABLE
  }

  private final Reason reason;

  FetchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why it failed. */
  public Reason reason() {
    return reason;
  }

  /** Whether trying later can help: the registry was unreachable or the transfer stalled. */
  public boolean retryable() {
    return reason == Reason.UNAVAILABLE || reason == Reason.STALLED;
  }
}
