package dev.ferry.hub.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {
  @ParameterizedTest
  @CsvSource({
    "bytes=0-, 0, 99",
    "bytes=40-, 40, 99",
    "bytes=99-, 99, 99",
    "bytes=10-19, 10, 19",
    "bytes=10-10, 10, 10",
    "bytes=90-500, 90, 99",
    "bytes=-10, 90, 99",
    "bytes=-500, 0, 99",
  })
  void parse_answersTheBytesInsideTheBlob(String header, long first, long last) {
    assertEquals(Optional.of(new ByteRange(first, last)), ByteRange.parse(header, 100));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "bytes=", "bytes=-", "bytes=20-10", "bytes=0-1,5-6", "items=0-1"})
  void parse_ignoresWhatItCannotServeAsOneRange(String header) {
    assertEquals(Optional.empty(), ByteRange.parse(header, 100));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=100-", "bytes=100-200", "bytes=-0"})
  void parse_refusesARangeOutsideTheBlob(String header) {
    var error = assertThrows(DistributionException.class, () -> ByteRange.parse(header, 100));
    assertEquals(ErrorCode.RANGE_INVALID, error.code);
    assertEquals("range '" + header + "' is outside the blob of 100 bytes", error.getMessage());
    assertEquals(Map.of("Content-Range", "bytes */100"), error.headers);
  }

  @Test
  void parse_refusesEveryRangeOfAnEmptyBlob() {
    assertThrows(DistributionException.class, () -> ByteRange.parse("bytes=0-", 0));
    assertThrows(DistributionException.class, () -> ByteRange.parse("bytes=-5", 0));
  }

  @Test
  void contentRange_namesTheBytesAndTheSize() {
    assertEquals("bytes 10-19/100", new ByteRange(10, 19).contentRange(100));
    assertEquals(10, new ByteRange(10, 19).length());
  }
}
