package dev.ferry.protocol.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ferry.protocol.json.JsonCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final String EMPTY =
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void of_hashesBytes() {
    assertEquals(EMPTY, Digest.of(new byte[0]).toString());
  }

  @Test
  void parse_roundTrips() {
    assertEquals(EMPTY, Digest.parse(EMPTY).toString());
    assertEquals("sha256-" + EMPTY.substring(7), Digest.parse(EMPTY).referrersTag());
  }

  @Test
  void parse_rejectsUppercaseHex() {
    assertEquals(
        "not a sha256 digest (sha256:<64 lowercase hex>): 'sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'",
        assertThrows(
                IllegalArgumentException.class,
                () -> Digest.parse(EMPTY.toUpperCase().replace("SHA256", "sha256")))
            .getMessage());
  }

  @Test
  void parse_rejectsOtherAlgorithmsAndLengths() {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha512:" + "a".repeat(128)));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse("sha256:abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
  }

  @Test
  void json_isAPlainString() {
    Descriptor descriptor =
        Descriptor.of(MediaTypes.OCI_EMPTY, Digest.of("{}".getBytes(StandardCharsets.UTF_8)), 2);
    String json = new String(new JsonCodec().encode(descriptor), StandardCharsets.UTF_8);
    assertEquals(
        "{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}",
        json);
  }
}
