package dev.ferry.hub.catalog;

import java.util.List;

/**
 * A model with its releases, newest first.
 *
 * @param name the model name
 * @param releases its releases
 */
public record ModelDetail(String name, List<Release> releases) {}
