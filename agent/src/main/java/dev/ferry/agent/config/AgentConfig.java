package dev.ferry.agent.config;

import dev.ferry.protocol.release.Precision;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The agent's configuration, {@code ferry.agent.*}; environment variables work as usual. */
@ConfigMapping(prefix = "ferry.agent")
public interface AgentConfig {
  /** This device's id, {@code [A-Za-z0-9._-]{1,128}}; the host name when absent. */
  Optional<String> deviceId();

  /** The agent's own labels, {@code ferry.agent.labels.site=berlin}. */
  Map<String, String> labels();

  /** The path of the hub's trust root (the envelope from {@code GET /api/v1/trust/root}). */
  Optional<Path> trustRoot();

  /** How the agent follows the hub's chain of trust roots, and how long its word stays fresh. */
  Trust trust();

  /** Where the cache ({@code blobs/}, {@code incoming/}) and {@code state.json} live. */
  @WithDefault("./ferry-agent-data")
  Path dataDir();

  /** Execution providers in order of preference, for example {@code CUDA,CPU}. */
  @WithDefault("CPU")
  List<String> executionProviders();

  /**
   * Precisions this device prefers among the variants of a release that fit its provider, best
   * first, for example {@code INT8,FP32}; absent takes the first the release lists.
   */
  Optional<List<Precision>> precisions();

  /** Options of the GPU execution providers (the {@code -Pcuda} build). */
  Runtime runtime();

  /** The MQTT broker. */
  Mqtt mqtt();

  /** Registry access. */
  Registry registry();

  /** Probation of a new version. */
  Probation probation();

  /** Telemetry batches. */
  Telemetry telemetry();

  /** Limits on serving. */
  Serve serve();

  /** The Open Inference Protocol's gRPC endpoint. */
  Grpc grpc();

  /**
   * The class-data archive {@code <data-dir>/class-data/agent.jsa} the agent's JVM writes of its
   * own run and maps at the next start (the container image's entrypoint tells it which).
   */
  ClassArchive classArchive();

  /**
   * The hub's REST API, {@code http(s)://hub:8080}: where the agent enrolls and renews its
   * certificate, and whose embedded registry it pulls from with its device credential.
   */
  @WithConverter(HubUrlConverter.class)
  Optional<URI> hubUrl();

  /** Enrollment with the hub and renewal of the device certificate. */
  Enrollment enrollment();

  /**
   * A file holding the bearer token that {@code /v2/**} and {@code /q/metrics} require; without it
   * they are open (health always is). Read once at start, never logged.
   */
  Optional<Path> apiTokenFile();

  /** Whether the agent syncs with the hub; false serves only what the cache holds. */
  @WithDefault("true")
  boolean syncEnabled();

  /** The MQTT broker. */
  interface Mqtt {
    /** {@code tcp://host:1883} or {@code ssl://host:8883}. */
    @WithDefault("tcp://127.0.0.1:1883")
    String url();

    /** User name, if the broker wants one. */
    Optional<String> username();

    /** Password; never logged. */
    Optional<String> password();

    /**
     * For {@code ssl://} brokers: the CA certificates (PEM) trusted for the broker's certificate;
     * else the hub's device CA from enrollment ({@code identity/ca.crt}), else the JVM's trust
     * store.
     */
    Optional<Path> caFile();
  }

  /** Enrollment with the hub ({@code ferry.agent.hub-url}) and renewal of the certificate. */
  interface Enrollment {
    /** A file holding the enrollment token; read once, never logged, never on a command line. */
    Optional<Path> tokenFile();

    /** The fraction of the certificate's lifetime left below which it is renewed. */
    @WithDefault("0.33")
    double renewBefore();

    /** How often the agent asks again while the hub holds its enrollment PENDING. */
    @WithDefault("30s")
    Duration pollInterval();
  }

  /** Registry access. */
  interface Registry {
    /** Registries ({@code host[:port]}) reached over plain HTTP; all others over HTTPS. */
    Optional<List<@WithConverter(RegistryAuthorityConverter.class) String>> plainHttp();

    /** The user name for registries other than the hub's own, with {@link #passwordFile()}. */
    Optional<String> username();

    /** A file holding the password for {@link #username()}; never logged. */
    Optional<Path> passwordFile();

    /** A file holding an identity (refresh) token for registries other than the hub's own. */
    Optional<Path> tokenFile();

    /** A download with no byte for this long is cut and retried (slow-retrieval attacks). */
    @WithDefault("30s")
    Duration idleTimeout();

    /**
     * A download receiving fewer bytes than this in a {@link #throughputWindow()} is cut and
     * retried (a trickle that never goes idle); 0 for no floor.
     */
    @WithDefault("16384")
    long minBytesPerWindow();

    /** The window of {@link #minBytesPerWindow()}. */
    @WithDefault("60s")
    Duration throughputWindow();

    /** The longest one download may take before it is cut and retried; 0 for none. */
    @WithDefault("6h")
    Duration downloadDeadline();
  }

  /** Following the hub's chain of trust roots ({@code ferry/v1/trust/roots}). */
  interface Trust {
    /** The most rotations accepted in one walk; a longer chain is refused whole. */
    @WithDefault("32")
    int maxChainSteps();

    /**
     * After this long without a fresh, correctly signed desired state the agent reports itself
     * STALE (a freeze attack, or a hub that stopped re-signing); it keeps serving.
     */
    @WithDefault("P3D")
    Duration staleAfter();
  }

  /** Telemetry batches sent to the hub, kept on disk while they cannot be sent. */
  interface Telemetry {
    /** How often a batch is made. */
    @WithDefault("10s")
    Duration interval();

    /** The most the undelivered batches may take on disk; beyond it the oldest are dropped. */
    @WithDefault("16777216")
    long journalMaxBytes();
  }

  /** Limits on serving. */
  interface Serve {
    /** Inferences in progress at once, bodies included; beyond it a request gets 503. */
    @WithDefault("8")
    int maxConcurrent();

    /**
     * The most memory one request's tensors may take: inputs, and outputs where the request's sizes
     * fix them; beyond it a request gets 413.
     */
    @WithDefault("67108864")
    long maxTensorBytes();

    /**
     * How long an infer request's body may take to arrive once admitted; beyond it the request gets
     * 408 and its connection closes, so that a client that stalls or trickles its body does not
     * hold one of the {@link #maxConcurrent()} places.
     */
    @WithDefault("60s")
    Duration bodyTimeout();
  }

  /** The Open Inference Protocol's gRPC endpoint ({@code inference.GRPCInferenceService}). */
  interface Grpc {
    /**
     * Whether the endpoint is served on the HTTP port; off, gRPC calls answer UNIMPLEMENTED and the
     * service's messages are not loaded. Read at start.
     */
    @WithDefault(Grpc.ENABLED_DEFAULT)
    boolean enabled();

    /** The property {@link #enabled()} is read from. */
    String ENABLED = "ferry.agent.grpc.enabled";

    /** {@link #enabled()}'s default. */
    String ENABLED_DEFAULT = "true";
  }

  /** The class-data archive the agent's JVM writes of its own run. */
  interface ClassArchive {
    /**
     * How long a run that writes the archive when it stops must have served for the archive to be
     * kept: a run that fails at start leaves none worth mapping.
     */
    @WithDefault("20s")
    Duration keepAfter();
  }

  /** How a new version is watched after it starts serving. */
  interface Probation {
    /** How long the new version is watched. */
    @WithDefault("60s")
    Duration window();

    /** The error rate over the window above which the agent swaps back. */
    @WithDefault("0.05")
    double maxErrorRate();

    /** Requests needed in the window before the error rate is judged. */
    @WithDefault("20")
    int minRequests();
  }

  /** Options of the GPU execution providers; they win over a release's session hints. */
  interface Runtime {
    /** CUDA. */
    Cuda cuda();

    /**
     * A directory to unpack ONNX Runtime's native libraries into once the agent has started, for
     * the next start to load them from ({@code -Donnxruntime.native.path}) instead of unpacking
     * them into {@code java.io.tmpdir} again; the container image's entrypoint sets it.
     */
    Optional<Path> unpackInto();

    /** TensorRT. */
    Tensorrt tensorrt();

    /** CUDA. */
    interface Cuda {
      /** The GPU that CUDA and TensorRT run on. */
      @WithDefault("0")
      int deviceId();
    }

    /** TensorRT. */
    interface Tensorrt {
      /**
       * Whether built TensorRT engines are kept under the data directory's {@code trt-engines/}.
       */
      @WithDefault("true")
      boolean engineCache();

      /** Whether TensorRT may run in FP16 (a release's hints may also turn it on). */
      @WithDefault("false")
      boolean fp16();
    }
  }
}
