package dev.ferry.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.protocol.testing.Services;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests as kustomize renders each overlay, parsed with the fabric8 model: the
 * agent DaemonSet and the hub Deployment probe the applications' real health paths on their real
 * ports, run non-root on read-only root file systems, and the nvidia overlay asks for a GPU.
 */
class KubernetesManifestsTest {
  private static final Path KUBERNETES = Services.root().resolve("deploy/kubernetes");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /**
   * The overlay as {@link Kustomize} renders it in Java (Debian 12 has no kubectl whose kustomize
   * reads these files); where a {@code kubectl} is on the PATH, its rendering must be the same.
   */
  private static List<HasMetadata> render(String overlay) throws Exception {
    List<HasMetadata> resources = parse(Kustomize.render(KUBERNETES.resolve(overlay)));
    resources.forEach(r -> assertEquals("ferry", namespaceOf(r), r.getKind() + " namespace"));
    if (onPath("kubectl")) {
      assertEquals(
          byName(parse(kubectl(overlay))), byName(resources), "kubectl kustomize " + overlay);
    }
    return resources;
  }

  private static String kubectl(String overlay) throws Exception {
    Process kustomize =
        new ProcessBuilder("kubectl", "kustomize", KUBERNETES.resolve(overlay).toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] yaml = kustomize.getInputStream().readAllBytes();
    assertTrue(kustomize.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, kustomize.exitValue(), "kubectl kustomize " + overlay);
    return new String(yaml, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<HasMetadata> parse(String yaml) {
    return YAML.unmarshal(
        new ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static java.util.Map<String, HasMetadata> byName(List<HasMetadata> resources) {
    java.util.Map<String, HasMetadata> named = new java.util.TreeMap<>();
    resources.forEach(r -> named.put(r.getKind() + "/" + r.getMetadata().getName(), r));
    return named;
  }

  private static boolean onPath(String command) {
    return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static String namespaceOf(HasMetadata resource) {
    return resource.getKind().equals("Namespace")
        ? resource.getMetadata().getName()
        : resource.getMetadata().getNamespace();
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
    return all.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(r -> r.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  /** The application's HTTP port, from its packaged configuration. */
  private static int appPort(String module) throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(
            Services.root().resolve(module + "/src/main/resources/application.properties"))) {
      properties.load(in);
    }
    assertNotNull(
        properties.getProperty("quarkus.http.port"), module + " sets its port explicitly");
    // the health paths below are SmallRye Health's defaults: the applications keep them
    assertEquals(null, properties.getProperty("quarkus.smallrye-health.root-path"), module);
    assertEquals(null, properties.getProperty("quarkus.http.non-application-root-path"), module);
    return Integer.parseInt(properties.getProperty("quarkus.http.port"));
  }

  private static void checkContainer(Container container, PodSpec pod, int port) {
    var http =
        container.getPorts().stream()
            .filter(p -> "http".equals(p.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(container.getName() + " names its port http"));
    assertEquals(port, http.getContainerPort(), container.getName() + " port");
    assertEquals(String.valueOf(port), env(container, "QUARKUS_HTTP_PORT").getValue());
    probe(container.getStartupProbe(), "/q/health/started");
    probe(container.getLivenessProbe(), "/q/health/live");
    probe(container.getReadinessProbe(), "/q/health/ready");
    assertTrue(pod.getSecurityContext().getRunAsNonRoot(), "runAsNonRoot");
    assertTrue(pod.getSecurityContext().getRunAsUser() > 0, "a non-root uid");
    var security = container.getSecurityContext();
    assertTrue(security.getReadOnlyRootFilesystem(), "read-only root file system");
    assertFalse(security.getAllowPrivilegeEscalation(), "no privilege escalation");
    assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
    assertNotNull(container.getResources().getRequests().get("cpu"), "a CPU request");
    assertNotNull(container.getResources().getRequests().get("memory"), "a memory request");
    assertNotNull(container.getResources().getLimits().get("memory"), "a memory limit");
    assertTrue(
        container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")),
        "a writable /tmp beside the read-only root");
  }

  private static void probe(Probe probe, String path) {
    assertNotNull(probe, path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("http", probe.getHttpGet().getPort().getStrVal(), path + " on the named port");
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " sets " + name));
  }

  /** Every ConfigMap and Secret the pod takes variables from is in the rendering. */
  private static void sourcesExist(List<HasMetadata> all, Container container) {
    for (EnvFromSource source : container.getEnvFrom()) {
      if (source.getConfigMapRef() != null) {
        one(all, ConfigMap.class, source.getConfigMapRef().getName());
      }
      if (source.getSecretRef() != null) {
        one(all, Secret.class, source.getSecretRef().getName());
      }
    }
  }

  @Test
  void agentDaemonSet_inBothOverlays_probesTheAgentAndNamesTheDeviceAfterTheNode()
      throws Exception {
    int port = appPort("agent");
    for (String overlay : List.of("overlays/cpu", "overlays/nvidia")) {
      List<HasMetadata> all = render(overlay);
      DaemonSet agent = one(all, DaemonSet.class, "ferry-agent");
      PodSpec pod = agent.getSpec().getTemplate().getSpec();
      Container container = pod.getContainers().get(0);
      checkContainer(container, pod, port);
      sourcesExist(all, container);
      assertEquals(
          "spec.nodeName",
          env(container, "FERRY_AGENT_DEVICE_ID").getValueFrom().getFieldRef().getFieldPath(),
          "the device id is the node's name");
      var cache =
          pod.getVolumes().stream().filter(v -> v.getName().equals("cache")).findFirst().get();
      assertEquals("/var/lib/ferry-agent", cache.getHostPath().getPath());
      ConfigMap config = one(all, ConfigMap.class, "ferry-agent");
      assertEquals(
          config.getData().get("FERRY_AGENT_DATA_DIR"),
          container.getVolumeMounts().stream()
              .filter(m -> m.getName().equals("cache"))
              .findFirst()
              .get()
              .getMountPath(),
          "the cache volume is the agent's data directory");
      Quantity gpus = container.getResources().getLimits().get("nvidia.com/gpu");
      if (overlay.endsWith("nvidia")) {
        assertEquals(new Quantity("1"), gpus);
        assertTrue(
            pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey())),
            "tolerates the GPU taint");
        assertEquals("TENSORRT,CUDA,CPU", config.getData().get("FERRY_AGENT_EXECUTION_PROVIDERS"));
        assertTrue(
            container.getImage().endsWith("-cuda"), "the GPU image: " + container.getImage());
      } else {
        assertEquals(null, gpus, "no GPU asked for on CPU nodes");
        assertFalse(container.getImage().endsWith("-cuda"), container.getImage());
        assertEquals("CPU", config.getData().get("FERRY_AGENT_EXECUTION_PROVIDERS"));
      }
    }
  }

  @Test
  void hubDeployment_andItsService_meetOnTheHubsPort() throws Exception {
    int port = appPort("hub");
    List<HasMetadata> all = render("overlays/cpu");
    Deployment hub = one(all, Deployment.class, "ferry-hub");
    PodSpec pod = hub.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    checkContainer(container, pod, port);
    sourcesExist(all, container);
    pod.getVolumes().stream()
        .filter(v -> v.getSecret() != null)
        .forEach(v -> one(all, Secret.class, v.getSecret().getSecretName()));
    Service service = one(all, Service.class, "ferry-hub");
    assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    assertEquals(
        hub.getSpec().getSelector().getMatchLabels(),
        service.getSpec().getSelector(),
        "the Service selects the hub's pods");
    assertTrue(
        hub.getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels()
            .entrySet()
            .containsAll(service.getSpec().getSelector().entrySet()));
  }
}
