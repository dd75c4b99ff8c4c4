package dev.ferry.hub.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM in and out, through Bouncy Castle: the one place the identity feature reads or writes it. */
public final class Pem {
  private Pem() {}

  /**
   * Encodes keys (private ones as PKCS#8), certificates, requests or CRLs as PEM blocks.
   *
   * @param objects what to encode, in order
   * @return the PEM text
   */
  public static String write(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object object : objects) {
        if (object instanceof PrivateKey key) {
          writer.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8, not SEC1
        } else {
          writer.writeObject(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /**
   * Reads every certificate of a PEM text.
   *
   * @param pem the text
   * @return the certificates, in order
   * @throws IllegalArgumentException if a block is not a certificate or the text has none
   */
  public static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object block : blocks(pem)) {
      if (!(block instanceof X509CertificateHolder holder)) {
        throw new IllegalArgumentException("expected certificates, got a " + kind(block));
      }
      try {
        certificates.add(new JcaX509CertificateConverter().getCertificate(holder));
      } catch (CertificateException e) {
        throw new IllegalArgumentException("unreadable certificate: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate found");
    }
    return certificates;
  }

  /**
   * Reads a private key (PKCS#8 or a traditional key pair block).
   *
   * @param pem the text
   * @return the key
   * @throws IllegalArgumentException if the text holds no private key
   */
  public static PrivateKey privateKey(String pem) {
    Object block = single(pem);
    try {
      if (block instanceof PrivateKeyInfo info) {
        return new JcaPEMKeyConverter().getPrivateKey(info);
      }
      if (block instanceof PEMKeyPair pair) {
        return new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("expected a private key, got a " + kind(block));
  }

  /**
   * Reads a PKCS#10 certificate signing request.
   *
   * @param pem the text
   * @return the request
   * @throws IllegalArgumentException if the text is not one request
   */
  public static PKCS10CertificationRequest request(String pem) {
    Object block = single(pem);
    if (block instanceof PKCS10CertificationRequest request) {
      return request;
    }
    throw new IllegalArgumentException(
        "expected a CERTIFICATE REQUEST block, got a " + kind(block));
  }

  private static Object single(String pem) {
    List<Object> blocks = blocks(pem);
    if (blocks.size() != 1) {
      throw new IllegalArgumentException("expected one PEM block, found " + blocks.size());
    }
    return blocks.get(0);
  }

  private static List<Object> blocks(String pem) {
    List<Object> blocks = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem == null ? "" : pem))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        blocks.add(block);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
    }
    return blocks;
  }

  private static String kind(Object block) {
    return block == null ? "nothing" : block.getClass().getSimpleName();
  }
}
