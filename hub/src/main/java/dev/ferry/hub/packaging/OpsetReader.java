package dev.ferry.hub.packaging;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the default-domain opset from a model's {@code opset_import}, streaming over the file and
 * skipping the graph, so that a large model is never held in the heap.
 */
final class OpsetReader {
  // onnx.proto: ModelProto.opset_import = 8; OperatorSetIdProto.domain = 1, version = 2
  private static final int OPSET_IMPORT = tag(8, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int DOMAIN = tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
  private static final int VERSION = tag(2, WireFormat.WIRETYPE_VARINT);

  private OpsetReader() {}

  /**
   * The highest opset version the model imports for the domain {@code ""} or {@code "ai.onnx"}.
   *
   * @throws InvalidModelException if there is none or the file is not a protobuf message
   */
  static long defaultOpset(Path model) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(model), 1 << 16)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      long opset = 0;
      for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
        if (tag == OPSET_IMPORT) {
          int limit = coded.pushLimit(coded.readRawVarint32());
          opset = Math.max(opset, readOperatorSet(coded));
          coded.popLimit(limit);
        } else {
          coded.skipField(tag);
        }
      }
      if (opset < 1) {
        throw new InvalidModelException(
            "model imports no opset of the default domain ('' or 'ai.onnx') in opset_import");
      }
      return opset;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidModelException("model is not an ONNX protobuf: " + e.getMessage(), e);
    }
  }

  private static int tag(int field, int wireType) {
    return field << 3 | wireType;
  }

  /** The version of one OperatorSetIdProto if its domain is the default one, else 0. */
  private static long readOperatorSet(CodedInputStream coded) throws IOException {
    String domain = "";
    long version = 0;
    for (int tag = coded.readTag(); tag != 0; tag = coded.readTag()) {
      if (tag == DOMAIN) {
        domain = coded.readStringRequireUtf8();
      } else if (tag == VERSION) {
        version = coded.readInt64();
      } else {
        coded.skipField(tag);
      }
    }
    return domain.isEmpty() || domain.equals("ai.onnx") ? version : 0;
  }
}
