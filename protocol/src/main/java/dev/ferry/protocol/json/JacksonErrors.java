package dev.ferry.protocol.json;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Turns Jackson's errors into {@link MalformedMessageException}s that name the field path and the
 * value, the one place that does. It decides from the exception's type and structured data (the
 * path, the target type, the parser's token and context), never from Jackson's wording; only a
 * syntax error Jackson found in the text (an unexpected character, a duplicate key, a limit) keeps
 * Jackson's own description, passed on as it is.
 */
final class JacksonErrors {
  private JacksonErrors() {}

  /**
   * The exception for a payload Jackson could not read or bind. Call it before the parser closes:
   * the message quotes the token the parser stopped at.
   *
   * @param what the type's label: {@code "ferry.desired/v1"}
   */
  static MalformedMessageException translate(String what, JsonProcessingException e) {
    if (e instanceof JsonMappingException mapping) {
      return new MalformedMessageException(what + ": " + describe(mapping), e);
    }
    JsonLocation where = e.getLocation();
    String at =
        where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    return new MalformedMessageException(what + ": malformed JSON" + at + ": " + syntax(e), e);
  }

  /**
   * The exception for bytes in none of the encodings JSON may use (Jackson's encoding detection
   * throws a plain {@link java.io.CharConversionException}, not a {@link JsonProcessingException}).
   *
   * @param what the type's label: {@code "ferry.desired/v1"}
   */
  static MalformedMessageException encoding(String what, java.io.CharConversionException e) {
    return new MalformedMessageException(what + ": malformed JSON: " + e.getMessage(), e);
  }

  /**
   * A syntax error's description. An early end is described from the token being read or the open
   * object or array (Jackson words the same event several ways); others keep Jackson's words.
   */
  private static String syntax(JsonProcessingException e) {
    if (!(e instanceof JsonEOFException eof)) {
      return e.getOriginalMessage();
    }
    if (eof.getTokenBeingDecoded() != null) {
      return "Unexpected end-of-input in " + eof.getTokenBeingDecoded();
    }
    JsonParser parser = eof.getProcessor();
    JsonStreamContext context = parser == null ? null : parser.getParsingContext();
    return context == null || context.inRoot()
        ? "Unexpected end-of-input"
        : "Unexpected end-of-input: expected close marker for " + context.typeDesc();
  }

  private static String describe(JsonMappingException e) {
    String path = path(e.getPath());
    FieldException broken = find(e, FieldException.class);
    if (broken != null) {
      return join(path, broken.getMessage());
    }
    if (isMissing(e)) {
      return path + " is missing";
    }
    IllegalArgumentException rule = find(e, IllegalArgumentException.class);
    if (rule != null) {
      return (path.isEmpty() ? "" : path + ": ") + rule.getMessage();
    }
    return wrongType(path, e);
  }

  /** A value of the wrong JSON type, or else Jackson's description of the problem. */
  private static String wrongType(String path, JsonMappingException e) {
    if (e instanceof InvalidFormatException invalid) {
      return problem(path, "must be " + expected(invalid.getTargetType()))
          + ", got "
          + Fields.show(invalid.getValue());
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      String must = problem(path, "must be " + expected(mismatch.getTargetType()));
      // a parser closed before the translation (another reader's) no longer knows the value
      return e.getProcessor() instanceof JsonParser parser && parser.isClosed()
          ? must
          : must + ", got " + actual(e.getProcessor());
    }
    return problem(path, "is invalid: " + e.getOriginalMessage());
  }

  /**
   * A creator property Jackson found absent: the input mismatch is reported at the end of the
   * object that lacks it, with the property last on the path.
   */
  private static boolean isMissing(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    return e instanceof MismatchedInputException
        && e.getProcessor() instanceof JsonParser parser
        && parser.currentToken() == JsonToken.END_OBJECT
        && !path.isEmpty()
        && path.get(path.size() - 1).getFieldName() != null;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String join(String path, String message) {
    return path.isEmpty() ? message : path + "." + message;
  }

  private static String problem(String path, String problem) {
    return path.isEmpty() ? problem : path + " " + problem;
  }

  private static <X extends Throwable> X find(Throwable e, Class<X> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String expected(Class<?> type) {
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == double.class || type == Double.class || type == float.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "a boolean";
    }
    if (type == Instant.class) {
      return "an RFC 3339 timestamp";
    }
    if (type == byte[].class) {
      return "base64 text";
    }
    return structured(type);
  }

  private static String structured(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || (type.isRecord() && !isScalar(type))) {
      return "an object";
    }
    return "a string";
  }

  private static boolean isScalar(Class<?> type) {
    return Arrays.stream(type.getMethods()).anyMatch(m -> m.isAnnotationPresent(JsonValue.class));
  }

  private static String actual(Object processor) {
    if (!(processor instanceof JsonParser parser)) {
      return "another type";
    }
    try {
      JsonToken token = parser.currentToken();
      return token == null ? "nothing" : shown(token, parser);
    } catch (IOException e) {
      return "another type";
    }
  }

  private static String shown(JsonToken token, JsonParser parser) throws IOException {
    return switch (token) {
      case START_OBJECT, END_OBJECT -> "an object";
      case START_ARRAY, END_ARRAY -> "an array";
      case VALUE_STRING -> "the string " + Fields.show(parser.getText());
      case VALUE_NULL -> "null";
      default -> parser.getText();
    };
  }
}
