package dev.ferry.hub.packaging;

import java.nio.file.Path;

/**
 * One variant of a publish request: its target and its uploaded files.
 *
 * @param target the name, providers and precision
 * @param model its ONNX file
 * @param golden its golden vectors file, or null
 */
public record VariantUpload(VariantTarget target, Path model, Path golden) {}
