package dev.ferry.agent.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {
  @Test
  void plain_socketsSendEachWriteAtOnce() throws Exception {
    try (Socket socket = NoDelaySockets.plain().createSocket()) {
      assertTrue(socket.getTcpNoDelay());
    }
  }

  @Test
  void tls_socketsSendEachWriteAtOnce() throws Exception {
    try (Socket socket =
        NoDelaySockets.tls(SSLContext.getDefault().getSocketFactory()).createSocket()) {
      assertTrue(socket.getTcpNoDelay());
    }
  }

  @Test
  void tls_overAConnectedSocket_setsItOnThatSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket layered =
            NoDelaySockets.tls(SSLContext.getDefault().getSocketFactory())
                .createSocket(plain, "localhost", server.getLocalPort(), true)) {
      assertTrue(plain.getTcpNoDelay());
      assertTrue(layered.getTcpNoDelay());
    }
  }
}
