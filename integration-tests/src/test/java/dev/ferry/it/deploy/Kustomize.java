package dev.ferry.it.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization in plain Java, for machines without a {@code kubectl} whose kustomize
 * knows these files (Debian 12's is 1.20): exactly the fields Ferry's kustomizations use
 * (resources, namespace, labels without selectors, images, patches by file or JSON 6902 with a
 * target) and nothing more; any other field fails the test, naming it, rather than render wrongly.
 */
final class Kustomize {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Set<String> SUPPORTED =
      Set.of("apiVersion", "kind", "namespace", "labels", "resources", "images", "patches");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");

  private Kustomize() {}

  /** The resources of the kustomization in {@code dir}, as YAML text, one document each. */
  static String render(Path dir) throws IOException {
    StringBuilder out = new StringBuilder();
    for (Map<String, Object> resource : resources(dir)) {
      out.append("---\n").append(YAML.writeValueAsString(resource).replaceFirst("^---\n", ""));
    }
    return out.toString();
  }

  static List<Map<String, Object>> resources(Path dir) throws IOException {
    Map<String, Object> k = read(dir.resolve("kustomization.yaml")).get(0);
    for (String field : k.keySet()) {
      if (!SUPPORTED.contains(field)) {
        throw new AssertionError(dir + ": kustomization field '" + field + "' is not supported");
      }
    }
    List<Map<String, Object>> all = new ArrayList<>();
    for (Object entry : list(k.get("resources"))) {
      Path path = dir.resolve((String) entry).normalize();
      all.addAll(Files.isDirectory(path) ? resources(path) : read(path));
    }
    for (Object patch : list(k.get("patches"))) {
      patch(dir, all, map(patch));
    }
    if (k.get("namespace") instanceof String namespace) {
      all.stream()
          .filter(r -> !CLUSTER_SCOPED.contains(r.get("kind")))
          .forEach(r -> metadata(r).put("namespace", namespace));
    }
    for (Object label : list(k.get("labels"))) {
      labels(all, map(label));
    }
    for (Object image : list(k.get("images"))) {
      all.forEach(r -> KustomizeImages.set(r, map(image)));
    }
    return all;
  }

  private static void labels(List<Map<String, Object>> all, Map<String, Object> label) {
    if (Boolean.TRUE.equals(label.get("includeSelectors"))
        || Boolean.TRUE.equals(label.get("includeTemplates"))) {
      throw new AssertionError("labels with includeSelectors or includeTemplates: not supported");
    }
    Map<String, Object> pairs = map(label.get("pairs"));
    for (Map<String, Object> resource : all) {
      Map<String, Object> labels =
          map(metadata(resource).computeIfAbsent("labels", x -> map(null)));
      labels.putAll(pairs);
    }
  }

  private static void patch(Path dir, List<Map<String, Object>> all, Map<String, Object> patch)
      throws IOException {
    if (patch.get("path") instanceof String path) {
      Map<String, Object> strategic = read(dir.resolve(path)).get(0);
      Map<String, Object> target =
          find(all, strategic.get("kind"), metadata(strategic).get("name"));
      KustomizePatches.merge(target, strategic);
      return;
    }
    Map<String, Object> target = map(patch.get("target"));
    List<Object> operations = YAML.readValue((String) patch.get("patch"), new TypeReference<>() {});
    KustomizePatches.json6902(find(all, target.get("kind"), target.get("name")), operations);
  }

  private static Map<String, Object> find(List<Map<String, Object>> all, Object kind, Object name) {
    return all.stream()
        .filter(r -> kind.equals(r.get("kind")) && name.equals(metadata(r).get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " to patch"));
  }

  static Map<String, Object> metadata(Map<String, Object> resource) {
    return map(resource.computeIfAbsent("metadata", x -> new LinkedHashMap<>()));
  }

  private static List<Map<String, Object>> read(Path file) throws IOException {
    List<Map<String, Object>> documents = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> it =
        YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(file.toFile())) {
      while (it.hasNext()) {
        Map<String, Object> document = it.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
    }
    return documents;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }
}
