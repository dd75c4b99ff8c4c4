package dev.ferry.it.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that delivers every chunk it reads a fixed delay later, in order, in
 * both directions: a link with that one-way latency (twice that a round trip) and the loopback's
 * bandwidth. For what a protocol's round trips cost a client off the device ({@code tc netem} is
 * not available on these machines).
 */
final class LatencyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final long delayNanos;

  /**
   * Starts the proxy.
   *
   * @param target the port on 127.0.0.1 to forward to
   * @param delayMillis the one-way delay
   */
  LatencyProxy(int target, int delayMillis) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = target;
    this.delayNanos = delayMillis * 1_000_000L;
    daemon(this::accept);
  }

  /** The proxy's port. */
  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    try {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        pipe(client, upstream);
        pipe(upstream, client);
      }
    } catch (IOException closed) {
      // the proxy was closed
    }
  }

  private record Chunk(long due, byte[] bytes) {}

  private void pipe(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    daemon(
        () -> {
          byte[] buffer = new byte[65536];
          try {
            for (int n; (n = from.getInputStream().read(buffer)) > 0; ) {
              queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
          } catch (IOException closed) {
            // either side closed
          }
          queue.add(new Chunk(System.nanoTime() + delayNanos, null)); // the end, in its turn
        });
    daemon(
        () -> {
          try {
            while (true) {
              Chunk chunk = queue.take();
              for (long wait; (wait = chunk.due() - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
              }
              if (chunk.bytes() == null) {
                break;
              }
              to.getOutputStream().write(chunk.bytes());
            }
          } catch (IOException | InterruptedException closed) {
            // the other side closed
          }
          close(to);
          close(from);
        });
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "latency-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
