package dev.ferry.it.deploy;

import java.util.List;
import java.util.Map;

/** kustomize's {@code images}: a container image named {@code name} gets the new name and tag. */
final class KustomizeImages {
  private KustomizeImages() {}

  static void set(Map<String, Object> resource, Map<String, Object> image) {
    Map<String, Object> spec = Kustomize.map(resource.get("spec"));
    Map<String, Object> template = Kustomize.map(spec.get("template"));
    Map<String, Object> pod = template.isEmpty() ? spec : Kustomize.map(template.get("spec"));
    for (String field : List.of("containers", "initContainers")) {
      for (Object container : Kustomize.list(pod.get(field))) {
        rename(Kustomize.map(container), image);
      }
    }
  }

  private static void rename(Map<String, Object> container, Map<String, Object> image) {
    String current = (String) container.get("image");
    if (current == null || !nameOf(current).equals(image.get("name"))) {
      return;
    }
    String name = image.containsKey("newName") ? (String) image.get("newName") : nameOf(current);
    String tag =
        image.containsKey("newTag")
            ? ":" + image.get("newTag")
            : current.substring(nameOf(current).length());
    container.put("image", name + tag);
  }

  /** The image without its tag or digest. */
  private static String nameOf(String image) {
    int at = image.indexOf('@');
    String base = at < 0 ? image : image.substring(0, at);
    int colon = base.lastIndexOf(':');
    return colon > base.lastIndexOf('/') ? base.substring(0, colon) : base;
  }
}
