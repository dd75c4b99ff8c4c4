package dev.ferry.hub.identity;

import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.oci.Digest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Checks a device's PKCS#10 request: well-formed PEM, a signature that verifies with the key it
 * carries (the device holds the private key), subject CN equal to the device id, and an EC P-256 or
 * RSA (at least 2048 bits) key. Every failure names the field {@code csr}.
 */
public final class CsrCheck {
  private static final String FIELD = "csr";

  private CsrCheck() {}

  /**
   * A request that passed.
   *
   * @param key the public key to certify
   * @param keyDigest sha256 (hex) of the key's encoding, to recognise the same key later
   */
  public record Checked(PublicKey key, String keyDigest) {}

  /**
   * Checks a request.
   *
   * @param pem the request, PEM
   * @param deviceId the id the device asks for
   * @return the key to certify
   * @throws FieldException naming {@code csr} and what is wrong
   */
  public static Checked check(String pem, String deviceId) {
    Fields.text(pem, FIELD);
    JcaPKCS10CertificationRequest request;
    try {
      request = new JcaPKCS10CertificationRequest(Pem.request(pem));
    } catch (IllegalArgumentException e) {
      throw new FieldException(
          FIELD, "must be a PEM PKCS#10 certificate request: " + e.getMessage());
    }
    PublicKey key = publicKey(request);
    requireSigned(request, key);
    requireSubject(request, deviceId);
    requireStrong(key);
    return new Checked(key, Digest.of(key.getEncoded()).hex());
  }

  private static PublicKey publicKey(JcaPKCS10CertificationRequest request) {
    try {
      return request.getPublicKey();
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new FieldException(FIELD, "has an unreadable public key: " + e.getMessage());
    }
  }

  private static void requireSigned(JcaPKCS10CertificationRequest request, PublicKey key) {
    boolean valid;
    try {
      valid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException e) {
      valid = false;
    }
    if (!valid) {
      throw new FieldException(FIELD, "signature does not verify with the key it carries");
    }
  }

  private static void requireSubject(JcaPKCS10CertificationRequest request, String deviceId) {
    RDN[] names = request.getSubject().getRDNs(BCStyle.CN);
    String commonName =
        names.length == 1 ? IETFUtils.valueToString(names[0].getFirst().getValue()) : null;
    if (commonName == null || !commonName.equals(deviceId)) {
      throw new FieldException(
          FIELD,
          "subject CN must be the deviceId "
              + Fields.show(deviceId)
              + ", got "
              + Fields.show(commonName));
    }
  }

  private static void requireStrong(PublicKey key) {
    if (key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == 256) {
      return;
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
      return;
    }
    throw new FieldException(
        FIELD, "key must be EC P-256 or RSA of at least 2048 bits, got " + describe(key));
  }

  private static String describe(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return "RSA " + rsa.getModulus().bitLength() + " bits";
    }
    if (key instanceof ECPublicKey ec) {
      return "EC " + ec.getParams().getCurve().getField().getFieldSize() + " bits";
    }
    return key.getAlgorithm();
  }
}
