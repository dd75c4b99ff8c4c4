package dev.ferry.it.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL backends that serve one client process's connections, found from the sockets
 * {@code ss -tnp} lists (the server is shared, so only the client's own backends are touched).
 */
final class DatabaseSessions {
  private static final Pattern SOCKET =
      Pattern.compile("(\\S+):(\\d+)\\s+(\\S+):(\\d+)\\s+users:\\(\\(\"[^\"]*\",pid=(\\d+),");

  private DatabaseSessions() {}

  /**
   * @param clientPid the client process (the hub)
   * @param serverPort the database's port
   * @return the process ids of the backends connected to it
   */
  static List<Long> of(long clientPid, int serverPort) throws IOException, InterruptedException {
    Process ss = new ProcessBuilder("ss", "-tnpH").redirectErrorStream(true).start();
    List<String> lines =
        new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (ss.waitFor() != 0) {
      throw new IOException("ss -tnpH exited with " + ss.exitValue());
    }
    Set<Integer> clientPorts = new HashSet<>();
    for (String line : lines) {
      Matcher m = SOCKET.matcher(line);
      if (m.find() && Long.parseLong(m.group(5)) == clientPid && port(m, 4) == serverPort) {
        clientPorts.add(port(m, 2));
      }
    }
    List<Long> backends = new ArrayList<>();
    for (String line : lines) {
      Matcher m = SOCKET.matcher(line);
      if (m.find() && port(m, 2) == serverPort && clientPorts.contains(port(m, 4))) {
        backends.add(Long.parseLong(m.group(5)));
      }
    }
    return backends;
  }

  private static int port(Matcher m, int group) {
    return Integer.parseInt(m.group(group));
  }
}
