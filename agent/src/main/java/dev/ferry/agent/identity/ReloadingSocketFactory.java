package dev.ferry.agent.identity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/** An SSL socket factory that builds a fresh factory (from files read now) for every socket. */
final class ReloadingSocketFactory extends SSLSocketFactory {
  /** Makes the factory of the moment. */
  @FunctionalInterface
  interface Source {
    SSLSocketFactory current() throws IOException;
  }

  private final Source source;

  ReloadingSocketFactory(Source source) {
    this.source = source;
  }

  @Override
  public Socket createSocket() throws IOException {
    return source.current().createSocket();
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return source.current().createSocket(socket, host, port, autoClose);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return source.current().createSocket(host, port);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress local, int localPort)
      throws IOException {
    return source.current().createSocket(host, port, local, localPort);
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return source.current().createSocket(host, port);
  }

  @Override
  public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
      throws IOException {
    return source.current().createSocket(host, port, local, localPort);
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return defaults().getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return defaults().getSupportedCipherSuites();
  }

  private static SSLSocketFactory defaults() {
    return (SSLSocketFactory) SSLSocketFactory.getDefault();
  }
}
