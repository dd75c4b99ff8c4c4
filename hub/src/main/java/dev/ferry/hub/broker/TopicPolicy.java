package dev.ferry.hub.broker;

import dev.ferry.hub.identity.TlsMaterial;
import dev.ferry.protocol.device.Channel;
import dev.ferry.protocol.device.Topic;
import dev.ferry.protocol.device.TrustTopics;
import io.moquette.broker.security.IAuthorizatorPolicy;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may publish and subscribe where on the embedded broker. A device (user name = client id =
 * device id) publishes only to its own {@code reported}, {@code events}, {@code telemetry} and
 * {@code online} and subscribes only to its own {@code desired} and {@code receipts} and to the
 * fleet's trust topics ({@link TrustTopics}); the hub ({@value TlsMaterial#HUB_IDENTITY}) uses
 * {@code ferry/v1/#}, also through shared subscriptions; all else is refused. The user is the one
 * the authenticator verified (Moquette passes no other).
 */
public final class TopicPolicy implements IAuthorizatorPolicy {
  private static final String HUB_ROOT = "ferry/v1/";
  private static final Set<Channel> DEVICE_WRITES =
      EnumSet.of(Channel.REPORTED, Channel.EVENTS, Channel.TELEMETRY, Channel.ONLINE);
  private static final Pattern SHARED = Pattern.compile("\\$share/[^/+#]+/(.*)");

  @Override
  public boolean canWrite(
      io.moquette.broker.subscriptions.Topic topic, String user, String client) {
    return mayWrite(user, client, topic.toString());
  }

  @Override
  public boolean canRead(io.moquette.broker.subscriptions.Topic topic, String user, String client) {
    return mayRead(user, client, topic.toString());
  }

  /**
   * Whether a user may publish to a topic.
   *
   * @param user the verified user name, or null for none
   * @param client the client id
   * @param topic the topic name
   * @return true if allowed
   */
  public boolean mayWrite(String user, String client, String topic) {
    if (isHub(user)) {
      return underHubRoot(topic) && !hasWildcard(topic);
    }
    return isDevice(user, client) && DEVICE_WRITES.stream().anyMatch(c -> own(user, c, topic));
  }

  /**
   * Whether a user may subscribe to a topic filter.
   *
   * @param user the verified user name, or null for none
   * @param client the client id
   * @param filter the topic filter, possibly {@code $share/<group>/<filter>}
   * @return true if allowed
   */
  public boolean mayRead(String user, String client, String filter) {
    if (isHub(user)) {
      var shared = SHARED.matcher(filter);
      return underHubRoot(shared.matches() ? shared.group(1) : filter);
    }
    return isDevice(user, client)
        && (own(user, Channel.DESIRED, filter)
            || own(user, Channel.RECEIPTS, filter)
            || TrustTopics.ROOTS.equals(filter)
            || TrustTopics.REVOCATIONS.equals(filter));
  }

  private static boolean isHub(String user) {
    return TlsMaterial.HUB_IDENTITY.equals(user);
  }

  /** A device's client id is its user name, so that it cannot take over another's session. */
  private static boolean isDevice(String user, String client) {
    return user != null && user.equals(client) && !hasWildcard(user) && !user.contains("/");
  }

  private static boolean own(String device, Channel channel, String topic) {
    return topic.equals(Topic.PREFIX + device + "/" + channel.segment());
  }

  private static boolean underHubRoot(String filter) {
    return filter.startsWith(HUB_ROOT) && !filter.startsWith("$");
  }

  private static boolean hasWildcard(String topic) {
    return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
  }
}
