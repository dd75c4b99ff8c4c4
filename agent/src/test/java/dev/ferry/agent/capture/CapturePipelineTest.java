package dev.ferry.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CaptureReceipt;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CaptureTensors;
import dev.ferry.protocol.capture.CaptureUpload;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.release.Datatype;
import dev.ferry.protocol.testing.TestClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue, writer, spool and uploader together, with a hub that remembers what it stored. */
class CapturePipelineTest {
  private static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");
  private static final ArrayTensor X =
      new ArrayTensor("x", Datatype.FP32, new long[] {1, 3}, new float[] {1.5f, -2f, 3.25f});
  private static final ArrayTensor Y =
      new ArrayTensor("y", Datatype.INT64, new long[] {1}, new long[] {7});

  @TempDir Path dir;
  private final TestClock clock = new TestClock(T0);
  private final CaptureMeters meters = new CaptureMeters();

  @Test
  void offer_dropsAndCountsWhenTheQueueIsFull() {
    Capture capture = capture(4);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    for (int i = 0; i < 10; i++) {
      serve(capture);
    }
    assertEquals(4, meters.captured());
    assertEquals(6, meters.dropped());
    assertEquals(4, capture.queue().size());
  }

  @Test
  void offer_capturesNothingWithoutAPolicyOrWhenTheReleaseForbidsIt() throws IOException {
    Capture capture = capture(100);
    serve(capture);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    // the version serving forbids capture (its serving.json's captureForbidden)
    capture.offer("det", "1.0.0", true, List.of(X), List.of(Y), false);
    capture.configure("det", "1.0.0", null, Map.of());
    serve(capture);
    capture.configure(
        "det",
        "1.0.0",
        new CapturePolicy(
            1, 1000, 1 << 30, CaptureTensors.BOTH, false, null, null, Map.of("site", "paris")),
        Map.of("site", "berlin"));
    serve(capture);
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    new CaptureWriter(capture, spool, meters).flush();
    assertEquals(0, meters.captured());
    assertEquals(0, spool.waiting());
    assertFalse(Files.exists(dir.resolve("capture")), "capture off writes nothing");
  }

  @Test
  void offer_samplesOnlyTheVersionThePolicyIsFor() {
    Capture capture = capture(100);
    capture.configure("det", "2.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    serve(capture); // 1.0.0 still serving while 2.0.0 installs: not under 2.0.0's policy
    assertEquals(0, meters.captured());
    capture.offer("det", "2.0.0", false, List.of(X), List.of(Y), false);
    assertEquals(1, meters.captured());
    assertEquals("2.0.0", capture.queue().peek().version());
  }

  @Test
  void configure_theSamePolicyForANewVersionKeepsItsHourlyCount() {
    Capture capture = capture(100);
    CapturePolicy policy = CapturePolicy.sampling(1, 3, 1 << 30);
    capture.configure("det", "1.0.0", policy, Map.of());
    serve(capture);
    serve(capture);
    capture.configure("det", "2.0.0", policy, Map.of());
    for (int i = 0; i < 5; i++) {
      capture.offer("det", "2.0.0", false, List.of(X), List.of(Y), false);
    }
    assertEquals(3, meters.captured(), "three an hour, across the versions of one policy");
    capture.configure("det", "2.0.0", CapturePolicy.sampling(1, 4, 1 << 30), Map.of());
    capture.offer("det", "2.0.0", false, List.of(X), List.of(Y), false);
    assertEquals(4, meters.captured(), "a new policy counts afresh");
  }

  @Test
  void writer_encodesTheTensorsAsLittleEndianBytes() throws IOException {
    Capture capture = capture(10);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    serve(capture);
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    new CaptureWriter(capture, spool, meters).flush();
    CaptureSample sample =
        FakeHub.CODEC.decode(spool.oldest(10, 1 << 20).get(0).json(), CaptureSample.class);
    assertEquals(List.of("x", "y"), sample.tensors().stream().map(t -> t.name()).toList());
    ByteBuffer x = ByteBuffer.wrap(sample.tensors().get(0).data()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-2f, x.getFloat(4));
    assertTrue(sample.tensors().get(1).output());
    assertEquals(T0, sample.capturedAt());
  }

  @Test
  void spool_refusesWhatExceedsItsBudgetAndCountsItDropped() {
    Capture capture = capture(100);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    for (int i = 0; i < 50; i++) {
      serve(capture);
    }
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 4000);
    new CaptureWriter(capture, spool, meters).flush();
    assertTrue(spool.bytes() <= 4000);
    assertEquals(50, meters.spooled() + meters.dropped());
    assertTrue(meters.dropped() > 0);
  }

  @Test
  void spool_survivesARestartAndAWeekOfflineThenUploadsEachSampleOnce() throws IOException {
    Capture capture = capture(10_000);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 10, 1 << 30), Map.of());
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 64 << 20);
    CaptureWriter writer = new CaptureWriter(capture, spool, meters);
    FakeHub hub = new FakeHub();
    hub.down = true;
    CaptureUploader offline =
        new CaptureUploader(spool, meters, backoff(), 7, 1 << 20, sample -> false);
    for (int hour = 0; hour < 7 * 24; hour++) {
      for (int i = 0; i < 20; i++) {
        serve(capture);
      }
      writer.flush();
      assertFalse(offline.drain(hub));
      clock.advance(Duration.ofHours(1));
    }
    assertEquals(7 * 24 * 10, spool.waiting());
    // a restart (kill -9 leaves whole files: each is written atomically) reopens the same spool
    CaptureSpool reopened = new CaptureSpool(dir.resolve("capture"), 64 << 20);
    assertEquals(7 * 24 * 10, reopened.waiting());
    hub.down = false;
    hub.loseReceiptOnce = true;
    CaptureUploader uploader =
        new CaptureUploader(reopened, meters, backoff(), 7, 1 << 20, sample -> false);
    assertFalse(uploader.drain(hub));
    clock.advance(Duration.ofSeconds(30));
    assertTrue(uploader.drain(hub));
    assertEquals(7 * 24 * 10, hub.stored.size());
    assertEquals(7 * 24 * 10, meters.uploaded());
    assertEquals(0, reopened.waiting());
    assertEquals(7, hub.resent);
  }

  @Test
  void upload_withholdsTheSamplesOfAVersionWhoseCaptureWasSwitchedOff() throws IOException {
    Capture capture = capture(100);
    CapturePolicy policy = CapturePolicy.sampling(1, 1000, 1 << 30);
    capture.configure("det", "0.9.0", policy, Map.of());
    capture.offer("det", "0.9.0", false, List.of(X), List.of(Y), false);
    capture.configure("det", "1.0.0", policy, Map.of());
    serve(capture);
    serve(capture);
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    new CaptureWriter(capture, spool, meters).flush();
    capture.configure("det", "1.0.0", null, Map.of()); // the release manager cleared the policy
    FakeHub hub = new FakeHub();
    Capture off = capture;
    CaptureUploader uploader =
        new CaptureUploader(
            spool, meters, backoff(), 7, 1 << 20, s -> off.switchedOff(s.model(), s.version()));
    assertTrue(uploader.drain(hub));
    assertEquals(List.of("0.9.0"), hub.stored.values().stream().map(s -> s.version()).toList());
    assertEquals(2, meters.withheld());
    assertEquals(1, meters.uploaded());
    assertEquals(0, spool.waiting());
    capture.configure("det", "1.0.0", policy, Map.of());
    assertFalse(capture.switchedOff("det", "1.0.0"), "a policy again switches it back on");
  }

  @Test
  void spool_givesNewIdsAfterARestart() throws IOException {
    Capture capture = capture(10);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    CaptureSpool spool = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    serve(capture);
    new CaptureWriter(capture, spool, meters).flush();
    String first = spool.oldest(1, 1 << 20).get(0).id();
    spool.remove(List.of(first));
    CaptureSpool reopened = new CaptureSpool(dir.resolve("capture"), 1 << 20);
    serve(capture);
    new CaptureWriter(capture, reopened, meters).flush();
    String second = reopened.oldest(1, 1 << 20).get(0).id();
    assertEquals(first.replaceAll("-\\d+$", "-2"), second);
  }

  @Test
  void spool_goesOnAfterItsHighestSampleWhenItsStateWasWrittenBeforeThem() throws IOException {
    Capture capture = capture(10);
    capture.configure("det", "1.0.0", CapturePolicy.sampling(1, 1000, 1 << 30), Map.of());
    Path at = dir.resolve("capture");
    CaptureSpool spool = new CaptureSpool(at, 1 << 20);
    CaptureWriter writer = new CaptureWriter(capture, spool, meters);
    for (int i = 0; i < 3; i++) {
      serve(capture);
    }
    writer.flush();
    String state = Files.readString(at.resolve("spool.state"));
    spool.remove(spool.oldest(2, 1 << 20).stream().map(SpooledSample::id).toList());
    serve(capture);
    serve(capture);
    writer.flush();
    // appending leaves the state as the last removal wrote it: one fsync a sample, not two
    String afterRemoval = Files.readString(at.resolve("spool.state"));
    assertFalse(afterRemoval.equals(state), afterRemoval);
    assertTrue(afterRemoval.endsWith(" next=4"), afterRemoval);
    CaptureSpool reopened = new CaptureSpool(at, 1 << 20);
    assertEquals(
        List.of("-3", "-4", "-5"),
        reopened.oldest(10, 1 << 20).stream().map(s -> s.id().replaceAll("^.*-", "-")).toList());
    serve(capture);
    new CaptureWriter(capture, reopened, meters).flush();
    assertTrue(reopened.oldest(10, 1 << 20).get(3).id().endsWith("-6"));
  }

  private void serve(Capture capture) {
    capture.offer("det", "1.0.0", false, List.of(X), List.of(Y), false);
  }

  private UploadBackoff backoff() {
    return new UploadBackoff(clock, Duration.ofSeconds(30), Duration.ofMinutes(30));
  }

  private Capture capture(int capacity) {
    return new Capture(capacity, meters, clock, new SplittableRandom(3));
  }

  /** The hub's part: stores by sample id, answers with every id it holds from the chunk. */
  private static final class FakeHub implements CaptureUploader.Link {
    static final JsonCodec CODEC = new JsonCodec();
    final Map<String, CaptureSample> stored = new HashMap<>();
    boolean down;
    boolean loseReceiptOnce;
    int resent;

    @Override
    public CaptureReceipt send(List<SpooledSample> chunk) throws IOException {
      if (down) {
        throw new IOException("hub unreachable");
      }
      List<String> ids = new ArrayList<>();
      for (CaptureSample sample :
          CODEC.decode(HubCaptureLink.body(chunk), CaptureUpload.class).samples()) {
        if (stored.putIfAbsent(sample.id(), sample) != null) {
          resent++;
        }
        ids.add(sample.id());
      }
      if (loseReceiptOnce) {
        loseReceiptOnce = false;
        throw new IOException("connection reset before the receipt");
      }
      return new CaptureReceipt(ids);
    }
  }
}
