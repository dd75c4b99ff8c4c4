package dev.ferry.agent.store;

/**
 * What a garbage collection removed.
 *
 * @param blobs cached blobs deleted
 * @param incoming incoming files (finished or partial downloads) deleted
 * @param bytes the bytes freed
 */
public record Collected(int blobs, int incoming, long bytes) {}
