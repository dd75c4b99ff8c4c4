/**
 * The hub's REST API ({@code /api/v1/...}) as records: what the hub answers and accepts, shared by
 * the hub, the {@code ferry} command line and any other client. Field names and JSON shapes are the
 * API's; unknown fields are ignored when reading, so a client keeps working when the hub adds a
 * field. The versioning rule is the one in this module's README.
 */
package dev.ferry.protocol.api;
