package dev.ferry.cli;

import dev.ferry.protocol.api.Release;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry publish}: uploads an ONNX model as a new release, with a progress bar. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publish an ONNX model as a new release: the hub checks, packages and signs it.")
final class PublishCommand implements Callable<Integer> {
  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model's name.")
  String name;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "MODEL.onnx",
      description = "The ONNX file (a release of one file; or give --variant options).")
  Path model;

  @Option(
      names = "--variant",
      paramLabel = "SPEC",
      description =
          "A variant of the release, repeatable, best first:"
              + " name=fp16-cuda,providers=TENSORRT;CUDA,precision=FP16,file=model-fp16.onnx"
              + "[,golden=golden-fp16.json]; providers empty fits any, precision"
              + " FP32|FP16|INT8|BF16|MIXED.")
  List<String> variants = List.of();

  @Option(names = "--version", required = true, description = "The release's version.")
  String version;

  @Option(names = "--golden", paramLabel = "FILE", description = "Golden input vectors (JSON).")
  Path golden;

  @Option(names = "--description", description = "What the model does.")
  String description;

  @Option(names = "--license", description = "The model's license (SPDX id).")
  String license;

  @Option(
      names = "--execution-providers",
      paramLabel = "LIST",
      description = "Execution providers it is meant for, comma-separated (CUDA,CPU).")
  String executionProviders;

  @Option(names = "--shapes", description = "Shapes for dynamic inputs (x=1,3,224,224;y=1,4).")
  String shapes;

  @Option(
      names = "--expires-at",
      paramLabel = "INSTANT",
      description =
          "When devices stop installing the release (2027-01-31T00:00:00Z); default never.")
  String expiresAt;

  @Option(
      names = "--session-hints",
      paramLabel = "FILE",
      description =
          "ONNX Runtime session hints for serving.json (JSON: intraOpThreads, interOpThreads,"
              + " graphOptimization, memoryArena, memoryPattern, providerOptions).")
  Path sessionHints;

  @Option(
      names = "--interface-change",
      description =
          "Publish even though the model's inputs or outputs differ from the earlier releases of"
              + " its line (the same major version; 0.minor below 1.0.0); without it the hub"
              + " refuses such a release.")
  boolean interfaceChange;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Progress progress = new Progress(err, System.console() != null && !options.json);
    Multipart body = body(progress);
    HubClient client = options.client();
    Answer release =
        client.send(
            client
                .request(
                    "/api/v1/models/"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)
                        + "/versions")
                .header("Content-Type", body.contentType())
                .POST(body.body()));
    progress.done();
    return options.print(spec, release, PublishCommand::table);
  }

  private Multipart body(Progress progress) throws IOException {
    if ((model == null) == variants.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give MODEL.onnx or --variant options, one of the two");
    }
    Multipart body =
        new Multipart()
            .field("version", version)
            .field("description", description)
            .field("license", license)
            .field("executionProviders", executionProviders)
            .field("expiresAt", expiresAt)
            .field("shapes", shapes)
            .field("sessionHints", text(sessionHints))
            .field("interfaceChange", interfaceChange ? "true" : null)
            .file("model", model, progress::add)
            .file("golden", golden, progress::add);
    for (String text : variants) {
      VariantOption variant = variant(text);
      body.field("variant", variant.target())
          .file("variant." + variant.name() + ".model", variant.model(), progress::add)
          .file("variant." + variant.name() + ".golden", variant.golden(), progress::add);
    }
    progress.total(body.fileBytes());
    return body;
  }

  private VariantOption variant(String text) {
    try {
      return VariantOption.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static String text(Path file) throws FileNotFoundException {
    if (file == null) {
      return null;
    }
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new FileNotFoundException(
          "cannot read --session-hints " + file + ": " + e.getMessage());
    }
  }

  /** A release as a table; a pending one says how to sign it. */
  static Table table(Answer answer) {
    Release release = answer.as(Release.class);
    Table table =
        new Table("NAME", "VERSION", "RELEASE SEQ", "MANIFEST", "SIZE", "STATE")
            .row(
                release.name(),
                release.version(),
                release.releaseSeq(),
                release.manifestDigest(),
                release.size(),
                release.state());
    return "PENDING_SIGNATURE".equals(release.state()) ? table.note(signingSteps(release)) : table;
  }

  private static String signingSteps(Release release) {
    String names = release.name() + " " + release.version();
    return "the hub's release key is offline; to publish:\n"
        + "  ferry release statement "
        + names
        + " --out statement.json\n"
        + "  ferry release sign statement.json --key RELEASE-KEY.pem --out statement.dsse.json\n"
        + "  ferry release attach "
        + names
        + " statement.dsse.json";
  }

  /** A progress bar on the terminal, redrawn at most ten times a second; silent in scripts. */
  private static final class Progress {
    private final PrintWriter err;
    private final boolean shown;
    private final AtomicLong sent = new AtomicLong();
    private long total;
    private volatile long drawnAt;

    Progress(PrintWriter err, boolean shown) {
      this.err = err;
      this.shown = shown;
    }

    void total(long bytes) {
      total = bytes;
    }

    void add(long bytes) {
      long now = System.nanoTime();
      long done = sent.addAndGet(bytes);
      if (shown && (now - drawnAt > 100_000_000L || done == total)) {
        drawnAt = now;
        draw(done);
      }
    }

    void done() {
      if (shown) {
        draw(total);
        err.println(" checked, packaged and signed");
        err.flush();
      }
    }

    private void draw(long done) {
      int width = 30;
      int filled = total == 0 ? width : (int) (width * done / total);
      err.printf(
          "\ruploading [%s%s] %3d%% %.1f/%.1f MiB",
          "#".repeat(filled),
          " ".repeat(width - filled),
          total == 0 ? 100 : 100 * done / total,
          done / 1048576.0,
          total / 1048576.0);
      err.flush();
    }
  }
}
