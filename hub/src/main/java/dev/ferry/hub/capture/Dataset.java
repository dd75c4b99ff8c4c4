package dev.ferry.hub.capture;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A dataset artifact's content before it is pushed: its files by path ({@code index.jsonl} first,
 * then one {@code .npy} per tensor) and the manifest annotations.
 *
 * @param name the dataset name, also its tag: {@code <version>-<day>[-<part>]}
 * @param files the files, in layer order
 * @param annotations the manifest annotations
 * @param samples how many samples it holds
 * @param devices the devices they came from
 * @param from the earliest capture
 * @param to the latest capture
 */
record Dataset(
    String name,
    Map<String, byte[]> files,
    Map<String, String> annotations,
    int samples,
    List<String> devices,
    Instant from,
    Instant to) {}
