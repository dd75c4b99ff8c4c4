package dev.ferry.protocol.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one Jackson mapper of the wire format: strict types (no coercion between strings, numbers and
 * booleans; integers accepted as floats; {@code byte[]} only from base64 text), duplicate keys
 * refused, unknown fields ignored, nulls not written, RFC 3339 timestamps, nesting at most {@value
 * #MAX_DEPTH} deep.
 */
final class WireMapper {
  /** The deepest nesting a payload may have. */
  static final int MAX_DEPTH = 64;

  private static final CoercionInputShape[] SCALAR_SHAPES = {
    CoercionInputShape.String,
    CoercionInputShape.Integer,
    CoercionInputShape.Float,
    CoercionInputShape.Boolean,
    CoercionInputShape.EmptyString
  };

  static final ObjectMapper MAPPER = newMapper();

  private WireMapper() {}

  private static ObjectMapper newMapper() {
    JsonMapper mapper = fastNumbers(strictReading(JsonMapper.builder())).build();
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build());
    strictScalars(mapper);
    return mapper;
  }

  private static JsonMapper.Builder strictReading(JsonMapper.Builder builder) {
    return builder
        .addModule(new JavaTimeModule())
        .addModule(new SimpleModule().addDeserializer(byte[].class, new Base64Bytes()))
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .defaultPropertyInclusion(
            JsonInclude.Value.construct(
                JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL));
  }

  /** Golden vectors and telemetry carry many numbers: Jackson's fast parser and writer. */
  private static JsonMapper.Builder fastNumbers(JsonMapper.Builder builder) {
    return builder
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
  }

  private static void strictScalars(ObjectMapper mapper) {
    for (LogicalType scalar :
        new LogicalType[] {
          LogicalType.Textual, LogicalType.Integer, LogicalType.Float, LogicalType.Boolean
        }) {
      for (CoercionInputShape shape : SCALAR_SHAPES) {
        mapper.coercionConfigFor(scalar).setCoercion(shape, CoercionAction.Fail);
      }
    }
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
  }
}
