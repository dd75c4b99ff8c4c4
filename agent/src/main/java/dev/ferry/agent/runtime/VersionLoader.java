package dev.ferry.agent.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.protocol.release.GoldenVectors;
import dev.ferry.protocol.release.ServingSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/** Builds a version's session off the request path and proves it before it may serve. */
public final class VersionLoader {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  private VersionLoader() {}

  /**
   * Loads and validates a version.
   *
   * @param modelFile the ONNX model
   * @param spec its serving.json
   * @param golden its golden vectors, asked for once the session is built (so a caller can decode
   *     them meanwhile); every case must pass
   * @param providers the device's preference and the providers usable here
   * @return the version, ready to swap in
   * @throws VersionRejectedException (a subclass naming the broken rule) if it must not serve; the
   *     session is closed then
   */
  public static LoadedVersion load(
      Path modelFile, ServingSpec spec, Supplier<GoldenVectors> golden, ProviderSetup providers) {
    return load(modelFile, spec, golden, providers, null);
  }

  /**
   * Loads and validates a variant of a release with several.
   *
   * @param modelFile the variant's ONNX model
   * @param spec its serving.json
   * @param golden its golden vectors, asked for once the session is built; every case must pass
   * @param providers the device's preference and the providers usable here
   * @param variant the variant's name, which its telemetry carries; null for a release of one file
   * @return the version, ready to swap in
   * @throws VersionRejectedException (a subclass naming the broken rule) if it must not serve; the
   *     session is closed then
   */
  public static LoadedVersion load(
      Path modelFile,
      ServingSpec spec,
      Supplier<GoldenVectors> golden,
      ProviderSetup providers,
      String variant) {
    Objects.requireNonNull(golden, "golden");
    String provider =
        ExecutionProviders.choose(
            providers.preference(), providers.usable().names(), spec.executionProviders());
    SessionPlan plan = SessionPlan.of(provider, spec.sessionHints(), providers.settings());
    OrtSession session = open(modelFile, plan);
    try {
      return proved(session, spec, plan, golden, variant);
    } catch (OrtException e) {
      LoadedVersion.close(session);
      throw new ModelLoadException("cannot read the model's signature: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      LoadedVersion.close(session);
      throw e;
    }
  }

  /** The version once its signature fits serving.json and every golden case passes. */
  private static LoadedVersion proved(
      OrtSession session,
      ServingSpec spec,
      SessionPlan plan,
      Supplier<GoldenVectors> golden,
      String variant)
      throws OrtException {
    Map<String, List<String>> names = new HashMap<>();
    names.putAll(SignatureCheck.dimensionNames(session.getInputInfo()));
    names.putAll(SignatureCheck.dimensionNames(session.getOutputInfo()));
    Signature signature =
        new Signature(
            SignatureCheck.check("input", spec.inputs(), session.getInputInfo()),
            SignatureCheck.check("output", spec.outputs(), session.getOutputInfo()),
            names);
    GoldenVectors vectors = Objects.requireNonNull(golden.get(), "golden vectors");
    LoadedVersion version =
        new LoadedVersion(
            session,
            spec,
            plan,
            signature,
            new RecentProof(
                loaded -> GoldenCheck.passes(loaded, vectors),
                Clock.systemUTC(),
                RecentProof.INTERVAL),
            variant);
    GoldenCheck.run(version, vectors);
    return version;
  }

  private static OrtSession open(Path modelFile, SessionPlan plan) {
    try (OrtSession.SessionOptions options = ExecutionProviders.options(plan)) {
      return ENV.createSession(modelFile.toString(), options);
    } catch (OrtException e) {
      throw new ModelLoadException(
          "model "
              + modelFile.getFileName()
              + " does not load on "
              + plan.provider()
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
