package dev.ferry.hub.identity;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * An X.509 certificate authority on an EC P-256 key: issues client and server certificates and CRLs
 * with Bouncy Castle. Pure: time and keys come in, nothing is stored.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String SIGNATURE = "SHA256withECDSA";

  private final PrivateKey key;
  private final X509Certificate certificate;

  /**
   * A CA from its key and certificate.
   *
   * @param key the CA's private key
   * @param certificate its certificate, whose public key belongs to {@code key}
   */
  public CertificateAuthority(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * A new CA with a self-signed certificate.
   *
   * @param name the subject's common name
   * @param now the start of its validity
   * @param years how long it is valid
   * @return the CA
   */
  public static CertificateAuthority generate(String name, Instant now, int years) {
    KeyPair keys = newKeyPair();
    X500Name subject = name(name);
    Instant end = now.atZone(java.time.ZoneOffset.UTC).plusYears(years).toInstant();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject, serial(), Date.from(now), Date.from(end), subject, keys.getPublic());
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
    return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()));
  }

  /** A fresh EC P-256 key pair. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 is not available", e);
    }
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA's private key, for storing it; never logged. */
  public PrivateKey key() {
    return key;
  }

  /**
   * Issues a TLS client certificate.
   *
   * @param commonName the subject CN (a device id, or the hub's identity)
   * @param subjectKey the holder's public key
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the certificate
   */
  public X509Certificate issueClient(
      String commonName, PublicKey subjectKey, Instant notBefore, Instant notAfter) {
    X509v3CertificateBuilder builder = leaf(commonName, subjectKey, notBefore, notAfter);
    try {
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build a client certificate", e);
    }
    return sign(builder, key);
  }

  /**
   * Issues a TLS server certificate.
   *
   * @param names DNS names and IP addresses; the first is also the CN
   * @param subjectKey the server's public key
   * @param notBefore start of validity
   * @param notAfter end of validity
   * @return the certificate
   */
  public X509Certificate issueServer(
      List<String> names, PublicKey subjectKey, Instant notBefore, Instant notAfter) {
    X509v3CertificateBuilder builder = leaf(names.get(0), subjectKey, notBefore, notAfter);
    try {
      GeneralName[] alternatives =
          names.stream().map(CertificateAuthority::generalName).toArray(GeneralName[]::new);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alternatives));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build a server certificate", e);
    }
    return sign(builder, key);
  }

  /**
   * A CRL signed by this CA.
   *
   * @param revoked revoked serials and when each was revoked
   * @param now its thisUpdate
   * @param nextUpdate when a newer one is due
   * @return the CRL
   */
  public X509CRL crl(Map<BigInteger, Instant> revoked, Instant now, Instant nextUpdate) {
    X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, Date.from(now));
    builder.setNextUpdate(Date.from(nextUpdate));
    revoked.forEach(
        (serial, at) -> builder.addCRLEntry(serial, Date.from(at), CRLReason.privilegeWithdrawn));
    try {
      return new JcaX509CRLConverter().getCRL(builder.build(signer(key)));
    } catch (java.security.cert.CRLException e) {
      throw new IllegalStateException("cannot build the CRL", e);
    }
  }

  private X509v3CertificateBuilder leaf(
      String commonName, PublicKey subjectKey, Instant notBefore, Instant notAfter) {
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            certificate,
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            name(commonName),
            subjectKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
    } catch (CertIOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a certificate", e);
    }
    return builder;
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static GeneralName generalName(String name) {
    boolean address = name.matches("[0-9.]+") || name.contains(":");
    if (address) {
      try {
        return new GeneralName(
            GeneralName.iPAddress,
            new org.bouncycastle.asn1.DEROctetString(InetAddress.getByName(name).getAddress()));
      } catch (java.net.UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + name, e);
      }
    }
    return new GeneralName(GeneralName.dNSName, name);
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey)));
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static ContentSigner signer(PrivateKey signingKey) {
    try {
      return new JcaContentSignerBuilder(SIGNATURE).build(signingKey);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign with " + SIGNATURE, e);
    }
  }
}
