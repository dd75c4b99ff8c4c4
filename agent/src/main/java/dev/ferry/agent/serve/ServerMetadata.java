package dev.ferry.agent.serve;

import java.util.List;

/**
 * Open Inference Protocol server metadata.
 *
 * @param name the server
 * @param version its version
 * @param extensions protocol extensions supported; none
 */
public record ServerMetadata(String name, String version, List<String> extensions) {}
