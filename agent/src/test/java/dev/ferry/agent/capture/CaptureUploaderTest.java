package dev.ferry.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.agent.identity.DeviceCredential;
import dev.ferry.agent.identity.LogCapture;
import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uploader against a real HTTP hub: refused samples are dropped, "later" backs off. */
class CaptureUploaderTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private static final ArrayTensor X =
      new ArrayTensor("x", Datatype.FP32, new long[] {1, 2}, new float[] {0.5f, -1f});

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final CaptureMeters meters = new CaptureMeters();
  private CaptureHub hub;
  private CaptureSpool spool;
  private UploadBackoff backoff;
  private CaptureUploader uploader;
  private HubCaptureLink link;

  @BeforeEach
  void start() throws IOException {
    hub = new CaptureHub();
    spool = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    backoff = new UploadBackoff(clock, Duration.ofSeconds(30), Duration.ofMinutes(30));
    uploader = new CaptureUploader(spool, meters, backoff, 3, 1 << 20, sample -> false);
    link =
        new HubCaptureLink(
            hub.url(), new DeviceCredential("d1", "fdp_secret"), HttpClient.newHttpClient());
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void drain_dropsARefusedSampleAndUploadsTheOnesBehindIt() throws IOException {
    List<String> ids = spool(7);
    hub.refuse.put(ids.get(1), CaptureHub.error(422, "UNPROCESSABLE", "det 1.0.0 is not assigned"));
    hub.refuse.put(ids.get(5), CaptureHub.error(413, "TOO_LARGE", "over the cap"));
    assertTrue(uploader.drain(link));
    assertEquals(Set.of(ids.get(0), ids.get(2), ids.get(3), ids.get(4), ids.get(6)), hub.stored);
    assertEquals(2, meters.refused());
    assertEquals(5, meters.uploaded());
    assertEquals(0, spool.waiting());
    int requests = hub.requests.get();
    assertTrue(uploader.drain(link));
    assertEquals(requests, hub.requests.get(), "a refused sample is never sent again");
  }

  @Test
  void drain_deletesSamplesThatCannotBeReadBack_andUploadsTheOnesBehindThem() throws IOException {
    List<String> ids = spool(5);
    List<Path> files = spoolFiles();
    Files.writeString(files.get(1), "{\"torn"); // a power cut mid-write, say
    Files.delete(files.get(3)); // deleted by hand
    try (LogCapture log = new LogCapture(CaptureUploader.class);
        LogCapture spooled = new LogCapture(CaptureSpool.class)) {
      assertTrue(uploader.drain(link));
      assertEquals(1, log.warnings.size(), String.valueOf(log.warnings));
      assertTrue(
          log.warnings
              .get(0)
              .startsWith("spooled capture sample " + ids.get(1) + " does not decode"),
          log.warnings.get(0));
      assertEquals(1, spooled.warnings.size(), String.valueOf(spooled.warnings));
    }
    // before: the same chunk failed at every try, and nothing was uploaded again
    assertEquals(Set.of(ids.get(0), ids.get(2), ids.get(4)), hub.stored);
    assertEquals(1, meters.unreadable());
    assertEquals(0, spool.waiting());
    assertEquals(List.of(), spoolFiles());
  }

  private List<Path> spoolFiles() throws IOException {
    try (var files = Files.list(dir.resolve("capture"))) {
      return files.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).sorted().toList();
    }
  }

  @Test
  void drain_keepsTheSpoolUntilTheHubsRetryAfterHasPassed() throws IOException {
    spool(3);
    hub.plan.add(new CaptureHub.Answer(503, "{}", "120"));
    assertFalse(uploader.drain(link));
    assertFalse(uploader.drain(link));
    clock.advance(Duration.ofSeconds(119));
    assertFalse(uploader.drain(link));
    assertEquals(1, hub.requests.get());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(uploader.drain(link));
    assertEquals(3, hub.stored.size());
    assertEquals(0, meters.refused());
  }

  @Test
  void drain_keepsSamplesWhenTheHubSaysLater() throws IOException {
    spool(2);
    List<Integer> later = List.of(401, 408, 429, 500, 502, 503);
    for (int status : later) {
      hub.plan.add(CaptureHub.error(status, "X", "not now"));
      assertFalse(uploader.drain(link), "HTTP " + status);
      assertEquals(2, spool.waiting(), "HTTP " + status);
      clock.advance(Duration.ofHours(1));
    }
    assertEquals(6, hub.requests.get());
    assertTrue(uploader.drain(link));
    assertEquals(0, meters.refused());
    assertEquals(2, hub.stored.size());
  }

  @Test
  void drain_backsOffDoublingWhileTheHubIsUnreachable() throws IOException {
    spool(1);
    hub.close();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      assertFalse(uploader.drain(link));
      Instant next = backoff.notBefore();
      waits.add(Duration.between(clock.instant(), next));
      clock.advance(Duration.between(clock.instant(), next));
    }
    assertEquals(
        List.of(30L, 60L, 120L, 240L, 480L, 960L, 1800L, 1800L),
        waits.stream().map(Duration::toSeconds).toList());
    assertEquals(1, spool.waiting());
  }

  @Test
  void send_refusalNamesTheStatusAndTheHubsReason() throws IOException {
    spool(1);
    hub.plan.add(CaptureHub.error(403, "FORBIDDEN", "device d1 is not assigned det 1.0.0"));
    List<SpooledSample> upload = spool.oldest(1, 1 << 20);
    CaptureRefusedException refused =
        assertThrows(CaptureRefusedException.class, () -> link.send(upload));
    assertEquals(
        "the hub refused the capture upload (HTTP 403): device d1 is not assigned det 1.0.0",
        refused.getMessage());
  }

  @Test
  void send_laterNamesWhatAnsweredWhenItIsNotTheHub() throws IOException {
    spool(1);
    hub.plan.add(new CaptureHub.Answer(502, "<html>bad gateway</html>", "7"));
    List<SpooledSample> upload = spool.oldest(1, 1 << 20);
    UploadDeferredException later =
        assertThrows(UploadDeferredException.class, () -> link.send(upload));
    assertEquals(
        "the hub answered 502 to a capture upload: HTTP 502 <html>bad gateway</html>",
        later.getMessage());
    assertEquals(Duration.ofSeconds(7), later.retryAfter().orElseThrow());
  }

  @Test
  void body_isTheUploadTheCodecWritesOfTheSpooledSamples() throws IOException {
    spool(3);
    List<SpooledSample> chunk = spool.oldest(3, 1 << 20);
    JsonCodec codec = new JsonCodec();
    List<CaptureSample> samples =
        chunk.stream().map(s -> codec.decode(s.json(), CaptureSample.class)).toList();
    byte[] body = HubCaptureLink.body(chunk);
    assertEquals(
        new String(codec.encode(new CaptureUpload(samples)), StandardCharsets.UTF_8),
        new String(body, StandardCharsets.UTF_8));
    assertEquals(3, codec.decode(body, CaptureUpload.class).samples().size());
  }

  private List<String> spool(int count) throws IOException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = spool.nextId();
      spool.append(
          new CaptureSample(id, "det", "1.0.0", T0, false, List.of(TensorBytes.encode(X, false))));
      ids.add(id);
    }
    return ids;
  }
}
