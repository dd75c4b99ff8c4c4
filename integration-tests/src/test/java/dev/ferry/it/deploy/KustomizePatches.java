package dev.ferry.it.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two kinds of patch Ferry's overlays use: a strategic merge (maps merged, lists of named items
 * merged by {@code name}, other lists replaced; no {@code $patch} directives) and JSON 6902 add,
 * replace and remove.
 */
final class KustomizePatches {
  private KustomizePatches() {}

  static void merge(Map<String, Object> target, Map<String, Object> patch) {
    for (Map.Entry<String, Object> entry : patch.entrySet()) {
      if (entry.getKey().startsWith("$")) {
        throw new AssertionError("strategic merge directive " + entry.getKey() + ": not supported");
      }
      Object current = target.get(entry.getKey());
      Object value = entry.getValue();
      if (current instanceof Map && value instanceof Map) {
        merge(Kustomize.map(current), Kustomize.map(value));
      } else if (current instanceof List && value instanceof List && named(value)) {
        mergeNamed(Kustomize.list(current), Kustomize.list(value));
      } else {
        target.put(entry.getKey(), value);
      }
    }
  }

  private static boolean named(Object list) {
    return Kustomize.list(list).stream()
        .allMatch(item -> item instanceof Map && Kustomize.map(item).containsKey("name"));
  }

  private static void mergeNamed(List<Object> current, List<Object> patch) {
    for (Object item : patch) {
      Object name = Kustomize.map(item).get("name");
      current.stream()
          .map(Kustomize::map)
          .filter(existing -> name.equals(existing.get("name")))
          .findFirst()
          .ifPresentOrElse(
              existing -> merge(existing, Kustomize.map(item)), () -> current.add(item));
    }
  }

  static void json6902(Map<String, Object> target, List<Object> operations) {
    for (Object operation : operations) {
      Map<String, Object> op = Kustomize.map(operation);
      List<String> path = pointer((String) op.get("path"));
      Object parent = walk(target, path.subList(0, path.size() - 1));
      String last = path.get(path.size() - 1);
      switch ((String) op.get("op")) {
        case "add", "replace" -> put(parent, last, op.get("value"), op.get("op").equals("add"));
        case "remove" -> remove(parent, last);
        default -> throw new AssertionError("JSON 6902 op " + op.get("op") + ": not supported");
      }
    }
  }

  private static List<String> pointer(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.substring(1).split("/", -1)) {
      parts.add(part.replace("~1", "/").replace("~0", "~"));
    }
    return parts;
  }

  private static Object walk(Object node, List<String> path) {
    for (String part : path) {
      node =
          node instanceof List<?> list
              ? list.get(Integer.parseInt(part))
              : Kustomize.map(node).get(part);
      if (node == null) {
        throw new AssertionError("JSON 6902 path has no " + part);
      }
    }
    return node;
  }

  private static void put(Object parent, String key, Object value, boolean add) {
    if (parent instanceof List) {
      List<Object> list = Kustomize.list(parent);
      if (key.equals("-")) {
        list.add(value);
      } else if (add) {
        list.add(Integer.parseInt(key), value);
      } else {
        list.set(Integer.parseInt(key), value);
      }
    } else {
      Map<String, Object> map = Kustomize.map(parent);
      if (!add && !map.containsKey(key)) {
        throw new AssertionError("JSON 6902 replace of a missing " + key);
      }
      map.put(key, value);
    }
  }

  private static void remove(Object parent, String key) {
    if (parent instanceof List) {
      Kustomize.list(parent).remove(Integer.parseInt(key));
    } else {
      Kustomize.map(parent).remove(key);
    }
  }
}
