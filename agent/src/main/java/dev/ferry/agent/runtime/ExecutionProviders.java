package dev.ferry.agent.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Chooses an execution provider and builds session options from a {@link SessionPlan}. */
public final class ExecutionProviders {
  /** The provider every ONNX Runtime build has. */
  public static final String CPU = "CPU";

  private ExecutionProviders() {}

  /**
   * The providers this ONNX Runtime build offers, named without underscores: {@code TENSORRT}. An
   * offered provider may still fail here (its libraries or device missing): {@link ProviderProbe}
   * tells which are usable.
   */
  static Set<String> offered() {
    return OrtEnvironment.getAvailableProviders().stream()
        .map(provider -> provider.name().replace("_", ""))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The first preferred provider that is available and allowed; CPU as a last resort if allowed.
   *
   * @param preference the device's preference, best first
   * @param available the providers usable here ({@link UsableProviders#names()})
   * @param allowedByRelease the release's allowed providers; empty allows any
   * @return the provider's name, upper case
   * @throws NoExecutionProviderException if none fits
   */
  public static String choose(
      List<String> preference, Set<String> available, List<String> allowedByRelease) {
    Set<String> offered = upper(available);
    Set<String> allowed = upper(allowedByRelease);
    return preference.stream()
        .map(name -> name.trim().toUpperCase(Locale.ROOT))
        .filter(provider -> fits(provider, offered, allowed))
        .findFirst()
        .or(() -> fits(CPU, offered, allowed) ? Optional.of(CPU) : Optional.empty())
        .orElseThrow(() -> noneFits(preference, offered, allowed));
  }

  private static boolean fits(String provider, Set<String> offered, Set<String> allowed) {
    return offered.contains(provider) && (allowed.isEmpty() || allowed.contains(provider));
  }

  private static NoExecutionProviderException noneFits(
      List<String> preference, Set<String> offered, Set<String> allowed) {
    return new NoExecutionProviderException(
        "no execution provider fits: preference "
            + preference
            + ", available "
            + offered
            + ", release allows "
            + allowed);
  }

  /**
   * Session options as the plan says: its providers in order, falling back to CPU for the nodes
   * they do not take.
   */
  static OrtSession.SessionOptions options(SessionPlan plan) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      tune(options, plan);
      for (Map.Entry<String, Map<String, String>> provider : plan.providerOptions().entrySet()) {
        add(options, provider.getKey(), provider.getValue());
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static void tune(OrtSession.SessionOptions options, SessionPlan plan)
      throws OrtException {
    options.setOptimizationLevel(plan.optimization());
    if (plan.intraOpThreads() != null) {
      options.setIntraOpNumThreads(plan.intraOpThreads());
    }
    if (plan.interOpThreads() != null) {
      options.setInterOpNumThreads(plan.interOpThreads());
    }
    if (plan.memoryArena() != null) {
      options.setCPUArenaAllocator(plan.memoryArena());
    }
    if (plan.memoryPattern() != null) {
      options.setMemoryPatternOptimization(plan.memoryPattern());
    }
  }

  private static void add(
      OrtSession.SessionOptions options, String provider, Map<String, String> settings)
      throws OrtException {
    switch (provider) {
      case "CUDA" -> cuda(options, settings);
      case "TENSORRT" -> tensorrt(options, settings);
      case "OPENVINO" -> options.addOpenVINO(settings.getOrDefault("device_type", ""));
      case "ROCM" -> options.addROCM();
      case "DNNL" -> options.addDnnl(true);
      case "DIRECTML" -> options.addDirectML(0);
      case "COREML" -> options.addCoreML(settings);
      case "NNAPI" -> options.addNnapi();
      case "XNNPACK" -> options.addXnnpack(settings);
      case "QNN" -> options.addQnn(qnn(settings));
      case "ACL" -> options.addACL(true);
      case "ARMNN" -> options.addArmNN(true);
      default ->
          throw new NoExecutionProviderException(
              "execution provider " + provider + " is available but Ferry cannot configure it");
    }
  }

  private static void cuda(OrtSession.SessionOptions options, Map<String, String> settings)
      throws OrtException {
    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions()) {
      for (Map.Entry<String, String> option : settings.entrySet()) {
        cuda.add(option.getKey(), option.getValue());
      }
      options.addCUDA(cuda);
    }
  }

  private static void tensorrt(OrtSession.SessionOptions options, Map<String, String> settings)
      throws OrtException {
    String cache = settings.get("trt_engine_cache_path");
    if (cache != null) {
      createDirectories(Path.of(cache));
    }
    try (OrtTensorRTProviderOptions tensorrt = new OrtTensorRTProviderOptions()) {
      for (Map.Entry<String, String> option : settings.entrySet()) {
        tensorrt.add(option.getKey(), option.getValue());
      }
      options.addTensorrt(tensorrt);
    }
  }

  private static Map<String, String> qnn(Map<String, String> settings) {
    Map<String, String> qnn = new TreeMap<>(settings);
    qnn.putIfAbsent("backend_path", "libQnnHtp.so");
    return qnn;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> upper(Iterable<String> names) {
    Set<String> set = new TreeSet<>();
    names.forEach(name -> set.add(name.trim().toUpperCase(Locale.ROOT)));
    return set;
  }
}
