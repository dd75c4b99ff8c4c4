package dev.ferry.agent.runtime;

import dev.ferry.protocol.release.ReleaseVariant;

/**
 * The variant of a release a device installs, and the execution provider it serves it with.
 *
 * @param variant the chosen variant
 * @param provider the provider, upper case: the first of the device's preference it fits
 */
public record VariantChoice(ReleaseVariant variant, String provider) {}
