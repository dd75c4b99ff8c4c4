/**
 * Data capture: the policy by which a device samples its inference traffic for training, and the
 * wire records of the samples it uploads to the hub.
 */
package dev.ferry.protocol.capture;
