package dev.ferry.agent.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Chooses an execution provider and builds its session options. */
public final class ExecutionProviders {
  /** The provider every ONNX Runtime build has. */
  public static final String CPU = "CPU";

  private ExecutionProviders() {}

  /** The providers this ONNX Runtime build offers, named without underscores: {@code TENSORRT}. */
  public static Set<String> available() {
    return OrtEnvironment.getAvailableProviders().stream()
        .map(provider -> provider.name().replace("_", ""))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The first preferred provider that is available and allowed; CPU as a last resort if allowed.
   *
   * @param preference the device's preference, best first
   * @param available the providers this build offers
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

  /** Session options that run on the provider, falling back to CPU for unsupported nodes. */
  static OrtSession.SessionOptions options(String provider) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      add(options, provider);
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static void add(OrtSession.SessionOptions options, String provider) throws OrtException {
    switch (provider) {
      case CPU -> {}
      case "CUDA" -> options.addCUDA(0);
      case "TENSORRT" -> options.addTensorrt(0);
      case "OPENVINO" -> options.addOpenVINO("");
      case "ROCM" -> options.addROCM(0);
      case "DNNL" -> options.addDnnl(true);
      case "DIRECTML" -> options.addDirectML(0);
      case "COREML" -> options.addCoreML();
      case "NNAPI" -> options.addNnapi();
      case "XNNPACK" -> options.addXnnpack(Map.of());
      case "QNN" -> options.addQnn(Map.of("backend_path", "libQnnHtp.so"));
      case "ACL" -> options.addACL(true);
      case "ARMNN" -> options.addArmNN(true);
      default ->
          throw new NoExecutionProviderException(
              "execution provider " + provider + " is available but Ferry cannot configure it");
    }
  }

  private static Set<String> upper(Iterable<String> names) {
    Set<String> set = new TreeSet<>();
    names.forEach(name -> set.add(name.trim().toUpperCase(Locale.ROOT)));
    return set;
  }
}
