package dev.ferry.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards each connection to a target and, after the target has sent
 * a given number of bytes, either cuts the connection or stalls it (keeps it open, forwards nothing
 * more): a network failure in the middle of a download. It can also slow the target's bytes down
 * and be taken down (new connections closed at once) and brought back, as a registry going away.
 */
public final class CuttingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int targetPort;
  private final AtomicLong downstreamLimit;
  private final boolean stall;
  private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean stalled;
  private volatile long bytesPerSecond;
  private final AtomicLong forwarded = new AtomicLong();

  /**
   * Starts a proxy.
   *
   * @param targetPort the port on 127.0.0.1 to forward to
   * @param downstreamLimit bytes the target may send per connection before the cut
   * @param stall true to keep the connection open after the limit, false to close it
   */
  public CuttingProxy(int targetPort, long downstreamLimit, boolean stall) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.targetPort = targetPort;
    this.downstreamLimit = new AtomicLong(downstreamLimit);
    this.stall = stall;
    Thread acceptor = new Thread(this::accept, "cutting-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code 127.0.0.1:<port>} of the proxy. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (down) {
          close(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        pipe(
            client.getInputStream(),
            upstream.getOutputStream(),
            Long.MAX_VALUE,
            false,
            false,
            client,
            upstream);
        pipe(
            upstream.getInputStream(),
            client.getOutputStream(),
            downstreamLimit.get(),
            stall,
            true,
            client,
            upstream);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pipe(
      InputStream in,
      OutputStream out,
      long limit,
      boolean stall,
      boolean downstream,
      Socket a,
      Socket b) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              long sent = 0;
              try {
                for (int n;
                    sent < limit
                        && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - sent)))
                            > 0;
                    sent += n) {
                  if (downstream && stalled) {
                    continue; // a target that stopped answering: nothing it sends arrives
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                  if (downstream) {
                    forwarded.addAndGet(n);
                  }
                  long rate = bytesPerSecond;
                  if (downstream && rate > 0) {
                    Thread.sleep(Math.max(1, n * 1000L / rate));
                  }
                }
                if (stall) {
                  in.transferTo(OutputStream.nullOutputStream());
                }
              } catch (IOException | InterruptedException ignored) {
                // the other direction closed the sockets
              } finally {
                close(a);
                close(b);
              }
            },
            "cutting-proxy-pipe");
    thread.setDaemon(true);
    thread.start();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  /**
   * Sets how many bytes the target may send on each new connection before the cut or stall.
   *
   * @param bytes the limit; {@code Long.MAX_VALUE} for none
   */
  public void limit(long bytes) {
    downstreamLimit.set(bytes);
  }

  /**
   * Slows the target's bytes down, on open connections too.
   *
   * @param rate bytes per second; 0 for full speed
   */
  public void throttle(long rate) {
    this.bytesPerSecond = rate;
  }

  /**
   * Takes the proxy down (open connections cut, new ones closed at once) or brings it back.
   *
   * @param isDown true to take it down
   */
  public void down(boolean isDown) {
    this.down = isDown;
    if (isDown) {
      cutAll();
    }
  }

  /**
   * Drops what the target sends on every connection, open ones too: a target that stopped answering
   * while its connections stay up. {@code false} lets what it sends from then on through; what was
   * dropped stays lost, so an open connection's stream is broken.
   *
   * @param isStalled true to drop
   */
  public void stall(boolean isStalled) {
    this.stalled = isStalled;
  }

  /** The bytes the target has sent through the proxy so far, over every connection. */
  public long forwarded() {
    return forwarded.get();
  }

  /** Cuts every open connection, as a network failure would; new ones are still accepted. */
  public void cutAll() {
    open.forEach(CuttingProxy::close);
    open.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
