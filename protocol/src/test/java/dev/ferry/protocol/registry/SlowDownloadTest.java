package dev.ferry.protocol.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry on 127.0.0.1 that serves a blob a few bytes at a time, never idle for long: the idle
 * timeout alone never trips on it; the throughput floor and the deadline do.
 */
class SlowDownloadTest {
  private static final byte[] BLOB = new byte[100_000];
  private static final Descriptor DESCRIPTOR =
      Descriptor.of("application/octet-stream", Digest.of(BLOB), BLOB.length);

  @TempDir Path dir;
  private HttpServer server;
  private volatile int chunk;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/v2/", exchange -> trickle(exchange.getResponseBody(), exchange));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** {@code chunk} bytes every 100 ms: never idle for more than 100 ms. */
  private void trickle(OutputStream out, com.sun.net.httpserver.HttpExchange exchange)
      throws IOException {
    exchange.sendResponseHeaders(200, BLOB.length);
    try (out) {
      for (int sent = 0; sent < BLOB.length; sent += chunk) {
        out.write(BLOB, sent, Math.min(chunk, BLOB.length - sent));
        out.flush();
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private RegistryClient client(TransferLimits limits) {
    return RegistryClient.builder("127.0.0.1:" + server.getAddress().getPort())
        .plainHttp(true)
        .transferLimits(limits)
        .build();
  }

  private StalledTransferException stalled(TransferLimits limits) {
    try (RegistryClient client = client(limits)) {
      return assertThrows(
          StalledTransferException.class,
          () -> client.pullBlob("m", DESCRIPTOR, dir.resolve("blob"), n -> {}));
    }
  }

  @Test
  void aTrickleBelowTheFloor_isCutAfterOneWindow() {
    chunk = 1; // 10 bytes a second: an idle timeout of 1 s never trips
    TransferLimits limits =
        new TransferLimits(Duration.ofSeconds(1), 100, Duration.ofMillis(800), Duration.ZERO);
    String message = stalled(limits).getMessage();
    assertTrue(
        message.matches("only [0-9]+ bytes in 800 ms, below the floor of 100 bytes per 800 ms"),
        message);
    assertTrue(Files.exists(dir.resolve("blob.part")), "the part is kept for a resume");
  }

  @Test
  void aTransferThatKeepsTheFloorButNeverEnds_isCutAtTheDeadline() {
    chunk = 100; // 1000 bytes a second, 100 s for the blob
    TransferLimits limits =
        new TransferLimits(
            Duration.ofSeconds(1), 100, Duration.ofMillis(500), Duration.ofSeconds(1));
    String message = stalled(limits).getMessage();
    assertTrue(message.matches("not done within 1000 ms \\([0-9]+ bytes received\\)"), message);
  }

  @Test
  void aTransferThatKeepsPace_completes() throws IOException {
    chunk = 50_000;
    try (RegistryClient client =
        client(
            new TransferLimits(
                Duration.ofSeconds(1), 100, Duration.ofMillis(500), Duration.ofSeconds(10)))) {
      client.pullBlob("m", DESCRIPTOR, dir.resolve("blob"), n -> {});
    }
    assertEquals(BLOB.length, Files.size(dir.resolve("blob")));
  }
}
