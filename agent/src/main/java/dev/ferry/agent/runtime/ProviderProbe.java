package dev.ferry.agent.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.ferry.agent.config.AgentConfig;
import dev.ferry.protocol.release.SessionHints;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Finds, once at start, which execution providers work here: each provider the ONNX Runtime build
 * offers must build a session on a tiny model ({@code c = a + b}, {@value #MODEL}) and run it once.
 */
public class ProviderProbe {
  private static final Logger LOG = Logger.getLogger(ProviderProbe.class);

  /** The probe model, a resource beside this class. */
  static final String MODEL = "probe.onnx";

  /** Why a preferred provider that the build lacks is refused. */
  static final String NOT_IN_BUILD = "not in this ONNX Runtime build";

  /** Tries one provider; a failure is its one-line reason. */
  @FunctionalInterface
  interface Trial {
    /**
     * @param provider the provider, upper case
     * @return empty if a session ran on it, else why not
     */
    Optional<String> failure(String provider);
  }

  @Produces
  @Singleton
  ProviderSettings settings(AgentConfig config) {
    AgentConfig.Runtime runtime = config.runtime();
    return new ProviderSettings(
        runtime.cuda().deviceId(),
        runtime.tensorrt().engineCache(),
        config.dataDir().resolve(ProviderSettings.ENGINE_CACHE),
        runtime.tensorrt().fp16());
  }

  @Produces
  @Singleton
  UsableProviders usable(AgentConfig config, ProviderSettings settings) {
    long started = System.nanoTime();
    UsableProviders usable =
        probe(
            ExecutionProviders.offered(),
            config.executionProviders(),
            provider -> trial(provider, settings));
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.infof("usable execution providers %s (probed in %d ms)", usable.names(), millis);
    usable.refused().forEach((name, why) -> LOG.warnf("execution provider %s: %s", name, why));
    return usable;
  }

  /**
   * The usable providers: those offered that pass the trial (CPU always counts), and each preferred
   * provider that did not, with why.
   */
  static UsableProviders probe(Set<String> offered, List<String> preference, Trial trial) {
    Set<String> names = new TreeSet<>(Set.of(ExecutionProviders.CPU));
    Map<String, String> failed = new LinkedHashMap<>();
    for (String provider : offered) {
      if (!provider.equals(ExecutionProviders.CPU)) {
        trial
            .failure(provider)
            .ifPresentOrElse(why -> failed.put(provider, why), () -> names.add(provider));
      }
    }
    Map<String, String> refused = new LinkedHashMap<>();
    for (String wanted : preference) {
      String provider = wanted.trim().toUpperCase(Locale.ROOT);
      if (!names.contains(provider)) {
        refused.put(provider, failed.getOrDefault(provider, NOT_IN_BUILD));
      }
    }
    return new UsableProviders(names, refused);
  }

  /**
   * Builds a session of the probe model on the provider, with the device's options, and runs it.
   */
  static Optional<String> trial(String provider, ProviderSettings settings) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    SessionPlan plan = SessionPlan.of(provider, SessionHints.NONE, settings);
    try (OrtSession.SessionOptions options = ExecutionProviders.options(plan);
        OrtSession session = env.createSession(model(), options);
        OnnxTensor a = OnnxTensor.createTensor(env, new float[] {1, 2});
        OnnxTensor b = OnnxTensor.createTensor(env, new float[] {3, 4});
        OrtSession.Result result = session.run(Map.of("a", a, "b", b))) {
      return Optional.empty();
    } catch (OrtException | RuntimeException | LinkageError e) {
      return Optional.of(firstLine(e));
    }
  }

  /** The first line of the failure's message, or its type when it has none. */
  static String firstLine(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElse(message);
  }

  static byte[] model() {
    try (InputStream in = ProviderProbe.class.getResourceAsStream(MODEL)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
