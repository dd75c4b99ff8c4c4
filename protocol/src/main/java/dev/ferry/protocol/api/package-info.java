/**
 * The hub's REST API as records: request bodies and the views it returns, shared by the hub, its
 * command-line client and the integration tests. Unknown fields are ignored; the hub checks the
 * values of a request and answers a broken rule with its error body.
 */
package dev.ferry.protocol.api;
