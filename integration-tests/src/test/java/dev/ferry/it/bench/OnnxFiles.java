package dev.ferry.it.bench;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Arrays;

/** What the benchmarks read from or add to an ONNX file's {@code ModelProto}, field by field. */
final class OnnxFiles {
  private static final int DOC_STRING = 6;
  private static final int OPSET_IMPORT = 8;

  private OnnxFiles() {}

  /**
   * The same model with its {@code doc_string} set to a tag: another file (another digest) that
   * loads and runs exactly like the original, as a retrained version would. A field appended to a
   * protobuf message overrides an earlier one.
   */
  static byte[] tagged(byte[] model, String tag) throws IOException {
    int extra = CodedOutputStream.computeStringSize(DOC_STRING, tag);
    byte[] out = Arrays.copyOf(model, model.length + extra);
    CodedOutputStream tail = CodedOutputStream.newInstance(out, model.length, extra);
    tail.writeString(DOC_STRING, tag);
    tail.checkNoSpaceLeft();
    return out;
  }

  /** The version of the default ONNX domain the model imports. */
  static long opset(byte[] model) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(model);
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) != OPSET_IMPORT) {
        in.skipField(tag);
        continue;
      }
      CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
      String domain = "";
      long version = 0;
      for (int field; (field = entry.readTag()) != 0; ) {
        switch (WireFormat.getTagFieldNumber(field)) {
          case 1 -> domain = entry.readString();
          case 2 -> version = entry.readInt64();
          default -> entry.skipField(field);
        }
      }
      if (domain.isEmpty() || domain.equals("ai.onnx")) {
        return version;
      }
    }
    throw new IOException("the model imports no version of the default ONNX domain");
  }
}
