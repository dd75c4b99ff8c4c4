package dev.ferry.hub.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The hub's configuration, {@code ferry.hub.*}; environment variables work as usual. */
@ConfigMapping(prefix = "ferry.hub")
public interface HubConfig {
  /** Where the embedded database, registry, broker and keys live. */
  @WithDefault("./ferry-data")
  Path dataDir();

  /** The address agents use to reach this hub; default {@code http://127.0.0.1:<http port>}. */
  Optional<String> publicUrl();

  /** An admin token to accept; without it one is generated into {@code <data-dir>/admin.token}. */
  Optional<String> bootstrapToken();

  /** How long a signed desired state is valid; the hub re-signs it before then. */
  @WithDefault("P7D")
  @WithConverter(PositiveDuration.class)
  java.time.Duration desiredValidity();

  /**
   * Whether the embedded registry's {@code /v2} serves only enrolled devices (HTTP Basic with their
   * MQTT password) and API tokens (Bearer).
   */
  @WithDefault("true")
  boolean registryAuth();

  /** The largest model upload accepted, in bytes. */
  @WithDefault("4294967296")
  long maxModelSize();

  /** The external OCI registry; the embedded one when absent. */
  Registry registry();

  /** The database: PostgreSQL when {@code url} is set, else the embedded one. */
  Db db();

  /** Signing keys; generated under the data directory unless given as PEM files. */
  Keys keys();

  /** The MQTT broker: the embedded one unless {@code url} names an external broker. */
  Mqtt mqtt();

  /** The device CA, which certifies device identities; generated under the data directory. */
  DeviceCa deviceCa();

  /** How devices enroll. */
  Enrollment enrollment();

  /** PEM files of the device CA: both or neither. */
  interface DeviceCa {
    /** Its private key (PKCS#8 PEM). */
    Optional<Path> key();

    /** Its certificate (PEM). */
    Optional<Path> certificate();
  }

  /** How devices enroll. */
  interface Enrollment {
    /** {@code auto}: a valid token suffices; {@code manual}: PENDING until an admin accepts. */
    @WithDefault("auto")
    Policy policy();

    /** Whether a valid token suffices; a value other than these fails the start. */
    enum Policy {
      /** A device with a valid token is ACCEPTED at once. */
      AUTO,
      /** A device with a valid token waits PENDING until an admin accepts it. */
      MANUAL
    }

    /** How long a device certificate is valid; agents renew before it ends. */
    @WithDefault("P30D")
    @WithConverter(PositiveDuration.class)
    java.time.Duration certificateValidity();

    /** Where the CRL is written (PEM) for an external broker; {@code keys/devices.crl.pem}. */
    Optional<Path> crlFile();
  }

  /** The MQTT broker. */
  interface Mqtt {
    /**
     * An external broker, {@code ssl://host:8883} or {@code tcp://host:1883}; the embedded broker
     * when absent.
     */
    Optional<String> url();

    /** The embedded broker's address to listen on. */
    @WithDefault("0.0.0.0")
    String host();

    /** The embedded broker's TLS port (device-CA client certificates required). */
    @WithDefault("8883")
    int port();

    /**
     * A plain-TCP port of the embedded broker, as well as the TLS one; refused at start unless
     * {@code host} is a loopback address.
     */
    Optional<Integer> plainPort();

    /**
     * Whether the embedded broker keeps its sessions and retained messages on disk under {@code
     * data-dir}/mqtt, so that desired states survive its restart; off only in the hub's own tests,
     * where the broker's store cannot read back what it wrote under the test class loaders.
     */
    @WithDefault("true")
    boolean persistence();

    /**
     * Names (DNS names, IP addresses) in the embedded broker's server certificate; default {@code
     * localhost}, {@code 127.0.0.1} and the host of {@code ferry.hub.public-url}.
     */
    Optional<List<String>> tlsNames();

    /** The user name the hub's clients log in to an external broker with. */
    Optional<String> username();

    /** The password the hub's clients log in to an external broker with; never logged. */
    Optional<String> password();

    /**
     * The CA certificates (PEM) the hub's clients trust for the broker's server certificate;
     * default the device CA.
     */
    Optional<Path> caFile();

    /**
     * The hub's client certificate (PEM, leaf first) for an external broker; default the hub
     * identity its device CA issues. Goes with {@code key-file}.
     */
    Optional<Path> certificateFile();

    /** The private key (PEM) of {@code certificate-file}. */
    Optional<Path> keyFile();

    /**
     * This replica's MQTT client id for ingestion (a persistent session, so that messages sent
     * while it restarts wait for it); {@code ferry-hub-<host name>} when absent. Unique per
     * replica.
     */
    Optional<String> clientId();

    /** The shared-subscription group replicas split device messages in, on external brokers. */
    @WithDefault("ferry-hub")
    String sharedGroup();
  }

  /** Telemetry from devices. */
  Telemetry telemetry();

  /** The rollout engine. */
  Rollout rollout();

  /** Telemetry from devices. */
  interface Telemetry {
    /** How long per-minute aggregates and (device, seq) records are kept. */
    @WithDefault("P30D")
    @WithConverter(PositiveDuration.class)
    java.time.Duration retention();
  }

  /** The external registry. */
  interface Registry {
    /** {@code host[:port]} of the registry, optionally with a path prefix for repositories. */
    Optional<String> url();

    /** User name for basic auth or the token flow. */
    Optional<String> username();

    /** Password or token; never logged. */
    Optional<String> password();

    /** Speak plain HTTP to this registry (only on a trusted network). */
    @WithDefault("false")
    boolean plainHttp();
  }

  /** The database. */
  interface Db {
    /** A PostgreSQL JDBC URL; the embedded database when absent. */
    Optional<String> url();

    /** The PostgreSQL user; {@code ferry} when absent. */
    Optional<String> username();

    /** The PostgreSQL password; never logged. */
    Optional<String> password();
  }

  /** The rollout engine. */
  interface Rollout {
    /** How often a running rollout is stepped: device outcomes read, waves advanced. */
    @WithDefault("PT1S")
    @WithConverter(PositiveDuration.class)
    java.time.Duration tick();

    /** How often a rollout made with a selector looks for devices that joined since. */
    @WithDefault("PT10S")
    @WithConverter(PositiveDuration.class)
    java.time.Duration enrollInterval();

    /**
     * How long a device may stay ASSIGNED before the hub fetches its retained reported state again
     * (a replica that stopped may have had its report in flight).
     */
    @WithDefault("PT30S")
    @WithConverter(PositiveDuration.class)
    java.time.Duration resyncAfter();
  }

  /** PEM (PKCS#8) files of the signing keys. */
  interface Keys {
    /**
     * The signed trust root made by {@code ferry trust init} (root-1.json): with it the hub runs
     * without the root key and generates no key.
     */
    Optional<Path> rootDocument();

    /** The root key, which signs the trust root (the quickstart: generated, online). */
    Optional<Path> root();

    /**
     * The release key, which signs release statements; {@code offline} (or absent with a root
     * document) for none on the hub.
     */
    Optional<Path> release();

    /** The hub key, which signs desired states. */
    Optional<Path> hub();
  }
}
