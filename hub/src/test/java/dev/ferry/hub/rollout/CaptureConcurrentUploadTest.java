package dev.ferry.hub.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.hub.HubTestProfile;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.db.Jdbc;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.release.Datatype;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One device uploading over several connections at once: each upload is answered 200 and each
 * sample is stored exactly once, the per-device caps counted one upload after the other.
 */
@QuarkusTest
@TestProfile(HubTestProfile.class)
class CaptureConcurrentUploadTest {
  private static final int UPLOADS = 8;
  private static final int PER_UPLOAD = 16;

  /** The benchmark's samples: 110 KiB of FP32 tensor, ~150 KB as base64 JSON, 16 per upload. */
  private static final byte[] DATA = new byte[110 << 10];

  @Inject Database db;

  @Test
  void concurrentUploadsOfOneDevice_areAllTakenAndStoreEachSampleOnce() throws Exception {
    String det = RolloutTest.publish("cc" + System.nanoTime(), "1.0.0");
    try (FakeDevice device = new FakeDevice(Map.of("site", "s" + System.nanoTime()))) {
      RolloutTest.awaitDevice(device.id);
      CapturePolicyRolloutTest.rollout(det, "1.0.0", device.id);
      CapturePolicyRolloutTest.setPolicy(
          "/api/v1/models/" + det + "/versions/1.0.0/captures/policy",
          CapturePolicy.sampling(1, 10_000, 1L << 34));
      Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);

      List<Integer> statuses = uploadAtOnce(device, det, at);

      assertEquals(List.of(200), statuses.stream().distinct().toList(), statuses.toString());
      assertEquals(UPLOADS * PER_UPLOAD, stored(device.id));
      // a resend of all of them at once stores nothing more
      assertEquals(List.of(200), uploadAtOnce(device, det, at).stream().distinct().toList());
      assertEquals(UPLOADS * PER_UPLOAD, stored(device.id));
    }
  }

  private List<Integer> uploadAtOnce(FakeDevice device, String det, Instant at) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(UPLOADS);
    try {
      List<Callable<Integer>> uploads = new ArrayList<>();
      for (int u = 0; u < UPLOADS; u++) {
        byte[] body = FakeDevice.CODEC.encode(new CaptureUpload(samples(u, det, at)));
        uploads.add(() -> post(device, body));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : pool.invokeAll(uploads)) {
        statuses.add(f.get());
      }
      return statuses;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<CaptureSample> samples(int upload, String det, Instant at) {
    List<CaptureSample> samples = new ArrayList<>();
    for (int s = 0; s < PER_UPLOAD; s++) {
      CapturedTensor x = new CapturedTensor("x", false, Datatype.FP32, List.of(1L, 28_160L), DATA);
      samples.add(
          new CaptureSample(
              "u" + upload + "-" + s, det, "1.0.0", at.plusMillis(s), false, List.of(x)));
    }
    return samples;
  }

  private static int post(FakeDevice device, byte[] body) {
    return given()
        .header("Authorization", device.basic())
        .contentType(ContentType.JSON)
        .body(body)
        .post("/api/v1/devices/" + device.id + "/captures")
        .then()
        .extract()
        .statusCode();
  }

  private int stored(String deviceId) {
    return db.transaction(
        c ->
            Jdbc.query(
                    c,
                    "SELECT COUNT(*) FROM capture_sample WHERE device_id = ?",
                    row -> row.getInt(1),
                    deviceId)
                .get(0));
  }
}
