package dev.ferry.protocol.registry;

/**
 * The outcome of a blob pull.
 *
 * @param resumedFrom bytes already on disk from an earlier, interrupted pull
 * @param bytesFetched bytes fetched over the network by this pull
 */
public record BlobPull(long resumedFrom, long bytesFetched) {}
