package dev.ferry.it.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on 127.0.0.1 that delivers every chunk it reads a fixed delay later, in order, in
 * both directions: a link with that one-way latency (twice that a round trip) and the loopback's
 * bandwidth. For what a protocol's round trips cost a client off the device ({@code tc netem} is
 * not available on these machines). A side that ends its output has that end delivered in its turn;
 * a connection is closed once both sides have ended, or one failed.
 */
final class LatencyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final long delayNanos;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();

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
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(upstream);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        AtomicInteger sides = new AtomicInteger(2);
        pipe(client, upstream, sides);
        pipe(upstream, client, sides);
      } catch (IOException refused) {
        close(client); // the target is away: so is this connection
      }
    }
  }

  private record Chunk(long due, byte[] bytes) {}

  private void pipe(Socket from, Socket to, AtomicInteger sides) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    daemon(
        () -> {
          byte[] buffer = new byte[65536];
          try {
            for (int n; (n = from.getInputStream().read(buffer)) > 0; ) {
              queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
          } catch (IOException failed) {
            closeBoth(from, to);
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
                to.shutdownOutput();
                if (sides.decrementAndGet() == 0) {
                  closeBoth(from, to);
                }
                return;
              }
              to.getOutputStream().write(chunk.bytes());
            }
          } catch (IOException | InterruptedException failed) {
            closeBoth(from, to);
          }
        });
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket socket : new Socket[] {a, b}) {
      open.remove(socket);
      try {
        socket.close();
      } catch (IOException ignored) {
        // closed already
      }
    }
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closed already
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "latency-proxy");
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops accepting and cuts every open connection. */
  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(LatencyProxy::close);
    open.clear();
  }
}
