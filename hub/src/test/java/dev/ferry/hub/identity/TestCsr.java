package dev.ferry.hub.identity;

import java.security.KeyPair;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** A device's key pair and its PKCS#10 request, made as an agent makes them. */
public record TestCsr(KeyPair keys, String pem) {
  /** A new EC P-256 key and a request with subject CN={@code commonName}. */
  public static TestCsr of(String commonName) {
    return of(commonName, CertificateAuthority.newKeyPair());
  }

  /** A request for a given key. */
  public static TestCsr of(String commonName, KeyPair keys) {
    try {
      var request =
          new JcaPKCS10CertificationRequestBuilder(
                  new X500Principal("CN=" + commonName), keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
      return new TestCsr(keys, Pem.write(request));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
