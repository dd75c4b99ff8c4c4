package dev.ferry.hub.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * A JSON request body that the REST layer binds (a record parameter) is read up to {@value
 * #MAX_BYTES} bytes: the hub's body limit is sized for model uploads, and Jackson on its own reads
 * a document of any length, chunked ones included. Beyond it the request is a 400 naming the limit.
 * Bodies anyone may send (enrollment, renewal, capture uploads) are read through the protocol's
 * codec instead, to their message's own limit; the hub's other JSON has mappers of its own.
 */
@Singleton
public class JsonBodyLimit implements ObjectMapperCustomizer {
  /** The most bytes of a JSON request body bound by the REST layer. */
  public static final long MAX_BYTES = 16L << 20;

  @Override
  public void customize(ObjectMapper mapper) {
    mapper
        .getFactory()
        .setStreamReadConstraints(
            mapper
                .getFactory()
                .streamReadConstraints()
                .rebuild()
                .maxDocumentLength(MAX_BYTES)
                .build());
  }
}
