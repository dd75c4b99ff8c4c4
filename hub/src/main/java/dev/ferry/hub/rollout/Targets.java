package dev.ferry.hub.rollout;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.fleet.Devices;
import dev.ferry.hub.fleet.LabelSelector;
import dev.ferry.protocol.api.RolloutRequest;
import dev.ferry.protocol.device.DeviceIds;
import dev.ferry.protocol.json.FieldException;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The devices a rollout request names or selects, in the rollout's stable shuffled order. */
@ApplicationScoped
class Targets {
  @Inject Devices devices;

  /**
   * The devices of a request: its list, or the known devices its selector matches, revoked devices
   * left out.
   *
   * @throws FieldException if it gives both or neither, or a device id is malformed
   * @throws ApiException if the selector matches no known device, or the list names a revoked one
   */
  List<String> of(RolloutRequest request) {
    boolean listed = request.devices() != null && !request.devices().isEmpty();
    boolean selected = request.selector() != null && !request.selector().isBlank();
    if (listed == selected) {
      throw new FieldException("devices", "or selector must be given, not both and not neither");
    }
    return listed ? listed(request.devices()) : selected(request.selector());
  }

  private List<String> listed(List<String> ids) {
    for (int i = 0; i < ids.size(); i++) {
      DeviceIds.require(ids.get(i), "devices[" + i + "]");
    }
    List<String> distinct = ids.stream().distinct().toList();
    List<String> revoked = devices.revoked(distinct);
    if (!revoked.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE,
          "devices names revoked devices, which no desired state reaches: "
              + revoked.stream().map(Fields::show).toList());
    }
    return distinct;
  }

  private List<String> selected(String text) {
    LabelSelector selector = LabelSelector.parse(text);
    List<String> matching =
        devices.labels().stream()
            .filter(d -> selector.test(d.labels()))
            .map(Devices.Labelled::id)
            .toList();
    if (matching.isEmpty()) {
      throw new ApiException(
          ErrorCode.UNPROCESSABLE, "selector " + Fields.show(text) + " selects no known device");
    }
    return matching;
  }

  /** A stable shuffle: by the hash of rollout id and device id, so waves mix device classes. */
  static List<String> shuffled(String rolloutId, List<String> devices) {
    MessageDigest sha256 = sha256();
    Map<String, String> keys = new LinkedHashMap<>();
    for (String device : devices) {
      byte[] hash = sha256.digest((rolloutId + "/" + device).getBytes(StandardCharsets.UTF_8));
      keys.put(device, HexFormat.of().formatHex(hash));
    }
    return devices.stream().sorted(Comparator.comparing(keys::get)).toList();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
