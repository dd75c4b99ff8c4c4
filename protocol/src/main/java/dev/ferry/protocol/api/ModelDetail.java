package dev.ferry.protocol.api;

import java.util.List;

/**
 * A model with its releases, newest first: {@code GET /api/v1/models/{name}}.
 *
 * @param name the model name
 * @param releases its releases
 */
public record ModelDetail(String name, List<Release> releases) {}
