package dev.ferry.protocol.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest JSON payload {@link JsonCodec} decodes as the annotated type, in bytes: the message
 * type declares its own cap, so that no caller picks one. A type without it gets {@link
 * JsonCodec#DEFAULT_MAX_BYTES}. The cap is checked before parsing, and a stream is read no further
 * than it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MaxBytes {
  /** The cap, in bytes; at least 1. */
  int value();
}
