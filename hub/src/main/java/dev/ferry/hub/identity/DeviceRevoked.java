package dev.ferry.hub.identity;

/**
 * A CDI event fired after a device was revoked (its state stored, the CRL written), so that the
 * embedded broker drops its live session.
 *
 * @param deviceId the device id
 */
public record DeviceRevoked(String deviceId) {}
