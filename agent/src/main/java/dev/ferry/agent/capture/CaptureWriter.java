package dev.ferry.agent.capture;

import dev.ferry.onnx.ArrayTensor;
import dev.ferry.protocol.capture.CaptureSample;
import dev.ferry.protocol.capture.CapturedTensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Takes sampled requests off the queue, encodes their tensors and appends them to the spool; a
 * sample the spool has no room for is dropped and counted. Runs on its own thread, never on a
 * request's.
 */
public final class CaptureWriter implements Runnable {
  private static final Logger LOG = Logger.getLogger(CaptureWriter.class);

  private final Capture capture;
  private final CaptureSpool spool;
  private final CaptureMeters meters;
  private volatile boolean running = true;

  CaptureWriter(Capture capture, CaptureSpool spool, CaptureMeters meters) {
    this.capture = capture;
    this.spool = spool;
    this.meters = meters;
  }

  @Override
  public void run() {
    while (running) {
      try {
        Captured next = capture.queue().poll(200, TimeUnit.MILLISECONDS);
        if (next != null) {
          write(next);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Writes every sample waiting in the queue now; for shutdown and tests. */
  public void flush() {
    Captured next;
    while ((next = capture.queue().poll()) != null) {
      write(next);
    }
  }

  /** Stops the loop after the sample in hand. */
  public void stop() {
    running = false;
  }

  private void write(Captured captured) {
    try {
      if (spool.append(sample(captured))) {
        meters.spooled.incrementAndGet();
      } else {
        meters.dropped.incrementAndGet();
      }
    } catch (IOException e) {
      meters.dropped.incrementAndGet();
      LOG.warnf("cannot spool a capture of %s: %s", captured.model(), e.getMessage());
    }
  }

  private CaptureSample sample(Captured captured) {
    List<CapturedTensor> tensors = new ArrayList<>();
    encode(captured.inputs(), false, tensors);
    encode(captured.outputs(), true, tensors);
    return new CaptureSample(
        spool.nextId(),
        captured.model(),
        captured.version(),
        captured.at(),
        captured.failed(),
        tensors);
  }

  private static void encode(List<ArrayTensor> from, boolean output, List<CapturedTensor> to) {
    from.stream()
        .filter(TensorBytes::capturable)
        .forEach(t -> to.add(TensorBytes.encode(t, output)));
  }
}
