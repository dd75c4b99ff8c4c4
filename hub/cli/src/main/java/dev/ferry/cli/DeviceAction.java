package dev.ferry.cli;

import dev.ferry.protocol.api.Device;
import dev.ferry.protocol.api.DeviceEnrollment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One device, shown or acted on ({@code ferry devices show|accept|revoke ID}), then shown. */
abstract class DeviceAction implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ID", description = "The device.")
  String id;

  /** The hub's answer: the device after the action. */
  abstract Answer send(HubClient client, String path);

  @Override
  public Integer call() {
    HubClient client = options.client();
    return options.print(
        spec, send(client, "/api/v1/devices/" + id), answer -> table(answer, client));
  }

  /**
   * The device's fields, one a line: state, labels, enrollment, certificate, models, and what it
   * reported of the trust chain.
   */
  static Table table(Answer answer, HubClient client) {
    Device d = answer.as(Device.class);
    DeviceEnrollment e = d.enrollment();
    Table table = new Table("DEVICE", d.id());
    table.row("online", d.online() ? "yes" : "no").row("last seen", d.lastSeen());
    table.row("labels", Output.pairs(d.labels()));
    table.row("enrollment", e == null ? "not enrolled" : e.state());
    if (e != null) {
      table.row("enrolled", e.enrolledAt()).row("accepted", e.acceptedAt());
      table.row("certificate", e.certificateSerial());
      table.row("expires", e.certificateNotAfter()).row("revoked", e.revokedAt());
    }
    table.row("models", DevicesCommand.models(d.reported()));
    String waiting = DevicesCommand.waiting(d.reported());
    if (waiting != null) {
      table.row("waiting", waiting);
    }
    DeviceTrust.rows(table, d.id(), d.reported(), client);
    return table;
  }

  /** {@code ferry devices show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Show one device: labels, enrollment state, certificate expiry, models, trust root"
              + " version, freshness, revoked releases.")
  static final class Show extends DeviceAction {
    @Override
    Answer send(HubClient client, String path) {
      return client.get(path);
    }
  }

  /** {@code ferry devices accept ID}. */
  @Command(
      name = "accept",
      mixinStandardHelpOptions = true,
      description = "Accept a PENDING device (enrollment policy manual); admin only.")
  static final class Accept extends DeviceAction {
    @Override
    Answer send(HubClient client, String path) {
      return client.post(path + "/accept", null);
    }
  }

  /** {@code ferry devices revoke ID}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a device for good: the broker refuses and drops it, its certificates go on the"
              + " CRL; admin only.")
  static final class Revoke extends DeviceAction {
    @Override
    Answer send(HubClient client, String path) {
      return client.post(path + "/revoke", null);
    }
  }
}
