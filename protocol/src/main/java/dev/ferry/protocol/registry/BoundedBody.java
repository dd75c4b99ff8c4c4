package dev.ferry.protocol.registry;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Receives a response body into a sink, at most {@code max} bytes, failing the transfer when it
 * breaks its {@link TransferLimits} (idle, below the throughput floor, past the deadline). Over the
 * cap it either fails (a blob larger than declared) or drops the rest (an error body). Completes
 * with the number of bytes written.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<Long> {
  /** Where received bytes go. */
  interface Sink {
    void write(ByteBuffer bytes) throws IOException;
  }

  private final Sink sink;
  private final long max;
  private final String tooLarge;
  private final LongConsumer progress;
  private final TransferLimits limits;
  private final ScheduledExecutorService timer;
  private final CompletableFuture<Long> result = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile TransferWatch watch;
  private volatile ScheduledFuture<?> watchdog;
  private long written;

  /**
   * @param tooLarge the message of the {@link BlobTooLargeException} when over the cap, or null to
   *     drop the excess silently
   */
  BoundedBody(
      Sink sink,
      long max,
      String tooLarge,
      LongConsumer progress,
      TransferLimits limits,
      ScheduledExecutorService timer) {
    this.sink = sink;
    this.max = max;
    this.tooLarge = tooLarge;
    this.progress = progress;
    this.limits = limits;
    this.timer = timer;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    watch = new TransferWatch(limits, System.nanoTime());
    long period = Math.max(10, Math.min(limits.idle().toMillis(), limits.window().toMillis()) / 4);
    watchdog = timer.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (result.isDone()) {
      return;
    }
    try {
      for (ByteBuffer buffer : buffers) {
        if (!take(buffer)) {
          return;
        }
      }
      watch.received(written, System.nanoTime());
      progress.accept(written);
      subscription.request(1);
    } catch (IOException e) {
      fail(e);
    } catch (RuntimeException e) {
      fail(new IOException("receiving the body failed: " + e, e));
    }
  }

  private boolean take(ByteBuffer buffer) throws IOException {
    long room = max - written;
    if (buffer.remaining() > room) {
      if (tooLarge != null) {
        fail(new BlobTooLargeException(tooLarge));
        return false;
      }
      buffer.limit(buffer.position() + (int) room);
    }
    written += buffer.remaining();
    while (buffer.hasRemaining()) {
      sink.write(buffer);
    }
    return true;
  }

  @Override
  public void onError(Throwable error) {
    stopWatchdog();
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    stopWatchdog();
    result.complete(written);
  }

  @Override
  public CompletionStage<Long> getBody() {
    return result;
  }

  private void checkIdle() {
    watch
        .problem(System.nanoTime())
        .ifPresent(problem -> fail(new StalledTransferException(problem)));
  }

  private void fail(IOException error) {
    stopWatchdog();
    if (result.completeExceptionally(error) && subscription != null) {
      subscription.cancel();
    }
  }

  private void stopWatchdog() {
    ScheduledFuture<?> current = watchdog;
    if (current != null) {
      current.cancel(false);
    }
  }
}
