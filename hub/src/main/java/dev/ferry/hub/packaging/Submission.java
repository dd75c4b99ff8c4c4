package dev.ferry.hub.packaging;

import dev.ferry.protocol.release.SessionHints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A release manager's publish request.
 *
 * @param name the model name
 * @param version the semantic version
 * @param model the uploaded ONNX file
 * @param golden the uploaded golden vectors file, or null
 * @param description a description, or null
 * @param license an SPDX license expression, or null
 * @param executionProviders the execution providers allowed; empty allows any
 * @param shapes a shape hint such as {@code x=1,3,48,192}, or null
 * @param expiresAt when the release statement expires, or null for a release that does not
 * @param sessionHints ONNX Runtime session options for serving.json; {@link SessionHints#NONE} when
 *     none
 * @param interfaceChange whether the release may change the interface of its line's earlier
 *     releases ({@link InterfaceCheck})
 */
public record Submission(
    String name,
    String version,
    Path model,
    Path golden,
    String description,
    String license,
    List<String> executionProviders,
    String shapes,
    Instant expiresAt,
    SessionHints sessionHints,
    boolean interfaceChange) {}
