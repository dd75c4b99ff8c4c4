package dev.ferry.protocol.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SignerTest {
  private static final String TYPE = "application/vnd.ferry.test";

  private final KeyPair pair = Ed25519.generate();
  private final ThresholdVerifier verifier =
      new ThresholdVerifier("test", Map.of(KeyIds.of(pair.getPublic()), pair.getPublic()), 1);

  @Test
  void sign_againWithTheSameSigner_signsEachPayload() {
    Signer signer = new Signer(pair);
    for (String text : List.of("first", "second", "third")) {
      byte[] payload = text.getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(payload, verifier.verify(signer.sign(TYPE, payload), TYPE));
    }
  }

  @Test
  void sign_fromManyThreadsAtOnce_signsEachPayload() throws Exception {
    Signer signer = new Signer(pair);
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Envelope>> signed =
          IntStream.range(0, 400)
              .mapToObj(i -> threads.submit(() -> signer.sign(TYPE, payload(i))))
              .toList();
      for (int i = 0; i < signed.size(); i++) {
        assertArrayEquals(payload(i), verifier.verify(signed.get(i).get(), TYPE));
      }
      assertEquals(400, signed.size());
    } finally {
      threads.shutdownNow();
    }
  }

  private static byte[] payload(int i) {
    return ("desired state " + i).getBytes(StandardCharsets.UTF_8);
  }
}
