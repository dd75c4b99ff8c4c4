package dev.ferry.protocol.api;

import dev.ferry.protocol.json.MaxBytes;

/**
 * The body of {@code POST /api/v1/enroll}, sent by an agent with no identity yet.
 *
 * @param token the enrollment token
 * @param deviceId the id the device asks for ({@code [A-Za-z0-9._-]{1,128}})
 * @param csr a PKCS#10 certificate signing request, PEM, whose subject CN is {@code deviceId}; its
 *     key was made on the device and never leaves it
 */
@MaxBytes(64 << 10)
public record EnrollRequest(String token, String deviceId, String csr) {
  /** Names the device, never the token. */
  @Override
  public String toString() {
    return "EnrollRequest[" + deviceId + "]";
  }
}
