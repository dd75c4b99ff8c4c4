package dev.ferry.cli;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A {@code multipart/form-data} body streamed from files (never read into memory), with its length
 * known up front and a callback for every chunk of file bytes sent.
 */
final class Multipart {
  private final String boundary = "ferry-" + UUID.randomUUID();
  private final List<BodyPublisher> parts = new ArrayList<>();
  private long fileBytes;

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  Multipart field(String name, String value) {
    if (value != null) {
      parts.add(BodyPublishers.ofString(disposition(name) + "\r\n\r\n" + value + "\r\n"));
    }
    return this;
  }

  Multipart file(String name, Path file, LongConsumer sent) throws IOException {
    if (file == null) {
      return this;
    }
    if (Files.isDirectory(file)) {
      throw new FileSystemException(file.toString(), null, "a directory, not a file");
    }
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (!Files.isReadable(file)) {
      throw new AccessDeniedException(file.toString());
    }
    BodyPublisher content = BodyPublishers.ofFile(file);
    fileBytes += content.contentLength();
    parts.add(
        BodyPublishers.ofString(
            disposition(name)
                + "; filename=\""
                + file.getFileName().toString().replace("\"", "")
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"));
    parts.add(new Counting(content, sent));
    parts.add(BodyPublishers.ofString("\r\n"));
    return this;
  }

  /** A part's boundary line and its Content-Disposition, up to the quoted name. */
  private String disposition(String name) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
  }

  /** Bytes of the files in the body. */
  long fileBytes() {
    return fileBytes;
  }

  HttpRequest.BodyPublisher body() {
    List<BodyPublisher> all = new ArrayList<>(parts);
    all.add(BodyPublishers.ofString("--" + boundary + "--\r\n"));
    return BodyPublishers.concat(all.toArray(BodyPublisher[]::new));
  }

  /** Passes a file's chunks on and reports their sizes. */
  private record Counting(BodyPublisher delegate, LongConsumer sent) implements BodyPublisher {
    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      delegate.subscribe(
          new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
              subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
              sent.accept(item.remaining());
              subscriber.onNext(item);
            }

            @Override
            public void onError(Throwable throwable) {
              subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
              subscriber.onComplete();
            }
          });
    }
  }
}
