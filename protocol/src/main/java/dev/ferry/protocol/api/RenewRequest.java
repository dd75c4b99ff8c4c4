package dev.ferry.protocol.api;

import dev.ferry.protocol.json.MaxBytes;

/**
 * The body of {@code POST /api/v1/devices/{id}/certificate}: an enrolled device asks for a new
 * certificate before its current one expires, authenticated by its current credential.
 *
 * @param csr a PKCS#10 request, PEM, subject CN the device id; a new key or the same one
 */
@MaxBytes(64 << 10)
public record RenewRequest(String csr) {}
