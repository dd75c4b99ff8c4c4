/**
 * The hub's REST API ({@code /api/v1/...}) as records: the request bodies it accepts and the views
 * it returns, shared by the hub, the {@code ferry} command line and the integration tests. Field
 * names and JSON shapes are the API's; unknown fields are ignored when reading, so a client keeps
 * working when the hub adds a field; the hub checks the values of a request and answers a broken
 * rule with its error body ({@link dev.ferry.protocol.api.ApiError}). The versioning rule is the
 * one in this module's README.
 */
package dev.ferry.protocol.api;
