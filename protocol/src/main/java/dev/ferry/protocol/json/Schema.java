package dev.ferry.protocol.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the schema of a wire record, for example {@code ferry.desired/v1}.
 *
 * <p>{@link JsonCodec} writes it as the {@code schema} field and, when decoding, accepts the same
 * name with the same major version and any minor ({@code ferry.desired/v1.3}); a payload of another
 * major version is rejected.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Schema {
  /** The schema name and major version, {@code <name>/v<major>}. */
  String value();
}
