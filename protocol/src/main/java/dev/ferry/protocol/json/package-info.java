/**
 * JSON encoding of Ferry's messages: a size-capped, schema-checked codec and the field checks every
 * wire record uses.
 */
package dev.ferry.protocol.json;
