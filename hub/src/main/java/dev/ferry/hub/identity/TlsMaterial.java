package dev.ferry.hub.identity;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The device CA's TLS material for the embedded broker and the hub's own MQTT clients: the CA
 * certificate devices chain to, a server certificate for the broker, the hub's client identity and
 * the revoked serials.
 */
public interface TlsMaterial {
  /** A private key and its certificate chain, leaf first. */
  record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {}

  /** The device CA's certificate: it signs device, broker and hub certificates. */
  X509Certificate caCertificate();

  /**
   * A server certificate for the embedded broker, issued by the device CA, made once per start.
   *
   * @param names DNS names and IP addresses it is valid for
   * @return the key and chain
   */
  KeyAndChain serverIdentity(List<String> names);

  /**
   * The hub's client certificate, subject CN {@value #HUB_IDENTITY}, issued by the device CA.
   *
   * @return the key and chain
   */
  KeyAndChain hubIdentity();

  /**
   * Whether a certificate serial was revoked.
   *
   * @param serial the serial
   * @return true if it is on the CRL
   */
  boolean revoked(BigInteger serial);

  /** The identity (certificate CN, MQTT user) of the hub's own clients; no device may take it. */
  String HUB_IDENTITY = "ferry-hub";
}
