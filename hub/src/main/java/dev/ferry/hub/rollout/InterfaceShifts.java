package dev.ferry.hub.rollout;

import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.hub.db.Database;
import dev.ferry.hub.packaging.InterfaceChanges;
import dev.ferry.protocol.api.InterfaceChange;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a rollout changes for the local clients of its devices: publishing keeps one interface
 * within a line of versions (a major), so a rollout that moves devices to another line (1.x to
 * 2.0.0), or to a release published with {@code interfaceChange=true}, breaks the clients written
 * for the release they run. Found when the rollout is made, from the release each selected device
 * is assigned then, by the rule publishing applies ({@link InterfaceChanges}).
 */
@ApplicationScoped
class InterfaceShifts {
  @Inject Database db;
  @Inject Catalog catalog;

  /**
   * The interface changes a release brings devices, by the release they are assigned now. The
   * releases assigned are compared first; the devices are counted only for those that differ.
   *
   * @param target the release rolled out
   * @param devices the rollout's devices
   * @return one per assigned release whose clients the target breaks, in version order as text;
   *     empty when none
   */
  List<InterfaceChange> of(Release target, Collection<String> devices) {
    Map<String, List<String>> broken = new TreeMap<>();
    for (String version : db.transaction(c -> AssignmentStore.versions(c, target.name()))) {
      if (version.equals(target.version())) {
        continue;
      }
      Optional<Release> before = catalog.release(target.name(), version);
      List<String> changes =
          before.isEmpty()
              ? List.of()
              : InterfaceChanges.breaking(before.get().serving(), target.serving());
      if (!changes.isEmpty()) {
        broken.put(version, changes);
      }
    }
    if (broken.isEmpty()) {
      return List.of();
    }
    Map<String, Integer> counts =
        db.transaction(c -> AssignmentStore.count(c, target.name(), broken.keySet(), devices));
    List<InterfaceChange> changes = new ArrayList<>();
    broken.forEach(
        (version, what) -> {
          int assigned = counts.getOrDefault(version, 0);
          if (assigned > 0) {
            changes.add(new InterfaceChange(version, assigned, what));
          }
        });
    return changes;
  }
}
