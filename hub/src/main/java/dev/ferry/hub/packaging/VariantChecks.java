package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.GoldenCase;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.Tensor;
import dev.ferry.protocol.release.Tolerance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks the variants of a release before it is packaged: unique names, the same inputs and outputs
 * in every variant, and golden vectors for each. A variant that runs on CPU is run with ONNX
 * Runtime here; one that targets only accelerators gets its expected outputs from its golden upload
 * or, without one, from the first CPU variant (the reference) at its precision's tolerance, and is
 * proved on the device before it serves.
 */
final class VariantChecks {
  /**
   * A variant ready to package.
   *
   * @param upload what was uploaded
   * @param signature its inputs and outputs
   * @param golden its completed golden vectors
   * @param checkedAtPublish whether the hub ran its golden vectors (false: only the device can)
   */
  record Checked(
      VariantUpload upload,
      ModelSignature signature,
      GoldenVectors golden,
      boolean checkedAtPublish) {}

  private final Function<Path, ModelSignature> inspector;
  private final Function<Path, GoldenVectors> goldenReader;

  /**
   * @param inspector reads a model's signature, refusing what is not valid ONNX
   * @param goldenReader decodes an uploaded golden file
   */
  VariantChecks(
      Function<Path, ModelSignature> inspector, Function<Path, GoldenVectors> goldenReader) {
    this.inspector = inspector;
    this.goldenReader = goldenReader;
  }

  /**
   * Checks every variant.
   *
   * @param uploads the variants, in the release's order
   * @param hints shapes for dynamic inputs of smoke cases
   * @param seed the smoke case seed, the same for every variant
   * @return the checked variants, in the same order
   * @throws InvalidVariantException if names repeat or the signatures differ
   * @throws InvalidGoldenException if a variant's golden vectors do not fit or do not reproduce
   */
  List<Checked> check(List<VariantUpload> uploads, Map<String, List<Long>> hints, long seed) {
    uniqueNames(uploads);
    Map<VariantUpload, ModelSignature> signatures = new LinkedHashMap<>();
    uploads.forEach(u -> signatures.put(u, inspector.apply(u.model())));
    sameSignatures(signatures);
    Map<VariantUpload, Checked> checked = new LinkedHashMap<>();
    GoldenVectors reference = null;
    for (VariantUpload upload : cpuFirst(uploads)) {
      ModelSignature signature = signatures.get(upload);
      Checked one =
          upload.target().runsOnCpu()
              ? onCpu(upload, signature, hints, seed)
              : deferred(upload, signature, reference);
      reference = reference == null && one.checkedAtPublish() ? one.golden() : reference;
      checked.put(upload, one);
    }
    return uploads.stream().map(checked::get).toList();
  }

  private Checked onCpu(
      VariantUpload upload, ModelSignature signature, Map<String, List<Long>> hints, long seed) {
    GoldenVectors given = upload.golden() == null ? null : goldenReader.apply(upload.golden());
    try {
      return new Checked(
          upload,
          signature,
          GoldenVectorRunner.run(upload.model(), signature, given, hints, seed),
          true);
    } catch (InvalidGoldenException e) {
      throw new InvalidGoldenException(where(upload) + e.getMessage(), e);
    }
  }

  /** A variant the hub cannot run: expected outputs given, or the reference's. */
  private Checked deferred(
      VariantUpload upload, ModelSignature signature, GoldenVectors reference) {
    if (upload.golden() != null) {
      GoldenVectors given = goldenReader.apply(upload.golden());
      completeOutputs(upload, given, signature);
      return new Checked(upload, signature, given, false);
    }
    if (reference == null) {
      throw new InvalidGoldenException(
          where(upload)
              + "runs on "
              + upload.target().providers()
              + " only and no variant runs on CPU, so the hub cannot compute its expected"
              + " outputs: send its golden vectors with outputs as variant."
              + upload.target().name()
              + ".golden");
    }
    Tolerance tolerance = PrecisionTolerance.of(upload.target().precision());
    Map<String, Tolerance> tolerances = new LinkedHashMap<>();
    signature.outputs().forEach(o -> tolerances.put(o.name(), tolerance));
    return new Checked(upload, signature, new GoldenVectors(reference.cases(), tolerances), false);
  }

  private static void completeOutputs(
      VariantUpload upload, GoldenVectors given, ModelSignature signature) {
    for (int i = 0; i < given.cases().size(); i++) {
      GoldenCase golden = given.cases().get(i);
      GoldenInputs.check(i, golden, signature);
      Set<String> outputs = new HashSet<>();
      golden.outputs().stream().map(Tensor::name).forEach(outputs::add);
      for (String output : GoldenInputs.names(signature.outputs())) {
        if (!outputs.contains(output)) {
          throw new InvalidGoldenException(
              where(upload)
                  + "runs on "
                  + upload.target().providers()
                  + " only, so the hub cannot compute its outputs: case "
                  + i
                  + " lacks output "
                  + Fields.show(output));
        }
      }
    }
  }

  private static List<VariantUpload> cpuFirst(List<VariantUpload> uploads) {
    List<VariantUpload> ordered = new ArrayList<>();
    uploads.stream().filter(u -> u.target().runsOnCpu()).forEach(ordered::add);
    uploads.stream().filter(u -> !u.target().runsOnCpu()).forEach(ordered::add);
    return ordered;
  }

  private static void uniqueNames(List<VariantUpload> uploads) {
    Set<String> names = new HashSet<>();
    for (VariantUpload upload : uploads) {
      if (!names.add(upload.target().name())) {
        throw new InvalidVariantException(
            "variant " + Fields.show(upload.target().name()) + " is given twice");
      }
    }
  }

  private static void sameSignatures(Map<VariantUpload, ModelSignature> signatures) {
    VariantUpload first = signatures.keySet().iterator().next();
    ModelSignature expected = signatures.get(first);
    signatures.forEach(
        (upload, signature) -> {
          if (!signature.inputs().equals(expected.inputs())
              || !signature.outputs().equals(expected.outputs())) {
            throw new InvalidVariantException(
                where(upload)
                    + "has inputs "
                    + signature.inputs()
                    + " and outputs "
                    + signature.outputs()
                    + ", but variant "
                    + Fields.show(first.target().name())
                    + " has "
                    + expected.inputs()
                    + " and "
                    + expected.outputs()
                    + "; every variant must have the same inputs and outputs");
          }
        });
  }

  private static String where(VariantUpload upload) {
    return "variant " + Fields.show(upload.target().name()) + " ";
  }
}
