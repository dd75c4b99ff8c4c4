package dev.ferry.agent.identity;

import dev.ferry.protocol.api.ApiError;
import dev.ferry.protocol.json.JsonCodec;
import dev.ferry.protocol.json.MalformedMessageException;
import java.nio.charset.StandardCharsets;

/** Reads the reason out of a hub's error answer, for logs and refusals. */
public final class HubErrors {
  private static final JsonCodec CODEC = new JsonCodec();

  private HubErrors() {}

  /**
   * The hub's message: its {@link ApiError} body's {@code message}, or else the status and the
   * start of whatever answered (a proxy's page, say).
   *
   * @param status the HTTP status
   * @param body the answer's body
   * @return the reason
   */
  public static String message(int status, byte[] body) {
    try {
      ApiError error = CODEC.decode(body, ApiError.class);
      if (error.message() != null) {
        return error.message();
      }
    } catch (MalformedMessageException e) {
      // not the hub's error body
    }
    int shown = Math.min(body.length, 200);
    return "HTTP " + status + " " + new String(body, 0, shown, StandardCharsets.UTF_8);
  }
}
