/**
 * The MQTT side of the contract: topic names and the messages hub and agent exchange on them
 * (desired state, reported state, events, telemetry, presence).
 */
package dev.ferry.protocol.device;
