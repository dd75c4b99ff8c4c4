package dev.ferry.hub.identity;

/** Where a device's enrollment stands. */
public enum IdentityState {
  /** It asked to enroll; an admin has not accepted it yet. */
  PENDING,
  /** It may connect, report and pull. */
  ACCEPTED,
  /** Withdrawn for good: refused everywhere, its certificates on the CRL. */
  REVOKED
}
