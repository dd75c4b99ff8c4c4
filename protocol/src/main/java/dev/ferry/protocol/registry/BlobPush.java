package dev.ferry.protocol.registry;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.RegistryAuthenticationFailedException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.blob.Blob;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.security.DigestException;
import java.util.function.LongConsumer;

/** Blob uploads through jib-core, which the registry checks against the digest. */
final class BlobPush {
  private final Transport transport;

  BlobPush(Transport transport) {
    this.transport = transport;
  }

  /** Uploads a blob unless the registry has it; true if uploaded. */
  boolean push(String repository, Digest digest, Blob blob, LongConsumer progress)
      throws IOException {
    Transport.checkRepository(repository);
    FailoverHttpClient http = transport.auth.newJibHttp();
    try {
      return pushWith(transport.auth.jibClient(repository, http), digest, blob, progress);
    } catch (com.google.cloud.tools.jib.api.RegistryException | DigestException e) {
      throw failed(repository, digest, e);
    } finally {
      http.shutDown();
    }
  }

  private static boolean pushWith(
      com.google.cloud.tools.jib.registry.RegistryClient jib,
      Digest digest,
      Blob blob,
      LongConsumer progress)
      throws IOException, com.google.cloud.tools.jib.api.RegistryException, DigestException {
    DescriptorDigest jibDigest = DescriptorDigest.fromDigest(digest.toString());
    if (jib.checkBlob(jibDigest).isPresent()) {
      return false;
    }
    long[] sent = {0};
    jib.pushBlob(jibDigest, blob, null, n -> progress.accept(sent[0] += n));
    return true;
  }

  private RegistryException failed(String repository, Digest digest, Exception e) {
    boolean denied =
        e instanceof RegistryUnauthorizedException
            || e instanceof RegistryAuthenticationFailedException
            || e instanceof RegistryCredentialsNotSentException;
    String message =
        String.format(
            "push of blob %s to %s/%s failed: %s",
            digest, transport.registry, repository, e.getMessage());
    return new RegistryException(denied ? 401 : 0, message, e);
  }
}
