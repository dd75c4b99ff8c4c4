package dev.ferry.hub.packaging;

import dev.ferry.hub.api.ApiException;
import dev.ferry.hub.api.ErrorCode;
import dev.ferry.hub.catalog.Catalog;
import dev.ferry.hub.catalog.Release;
import dev.ferry.protocol.json.Fields;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Refuses a release that changes its model's interface within a line of versions that promises one
 * ({@link InterfaceChanges}): 1.1.0 must take the inputs and give the outputs that 1.0.0's clients
 * use; 2.0.0 may change them. It compares with the line's newest release not revoked. A release
 * manager who means it (a line still in trials, a model whose clients all move together) publishes
 * anyway with {@code interfaceChange=true}, and the hub logs it.
 */
@ApplicationScoped
public class InterfaceCheck {
  private static final Logger LOG = Logger.getLogger(InterfaceCheck.class);

  @Inject Catalog catalog;

  /**
   * Checks a model about to be published.
   *
   * @param model the model name
   * @param version the new version
   * @param signature the new model's inputs and outputs
   * @param allowed whether the release manager allowed an interface change
   * @param actor the publishing token's name, for the log line of an allowed change
   * @throws ApiException 409 naming the earlier release and each change, unless allowed
   */
  public void check(
      String model, String version, ModelSignature signature, boolean allowed, String actor) {
    Optional<String> line = InterfaceChanges.lineOf(version);
    if (line.isEmpty()) {
      return;
    }
    List<Release> releases = catalog.releases(model);
    Optional<Release> earlier =
        releases.stream()
            .filter(r -> r.revoked() == null && line.equals(InterfaceChanges.lineOf(r.version())))
            .findFirst();
    if (earlier.isEmpty()) {
      return;
    }
    List<String> changes = InterfaceChanges.breaking(earlier.get().serving(), signature);
    if (changes.isEmpty()) {
      return;
    }
    String what =
        "model "
            + Fields.show(model)
            + " "
            + version
            + " changes the interface of "
            + earlier.get().version()
            + ", which clients of "
            + line.get()
            + " rely on: "
            + String.join("; ", changes);
    if (allowed) {
      LOG.warnf("%s; published anyway by %s (interfaceChange=true)", what, actor);
      return;
    }
    throw new ApiException(
        ErrorCode.CONFLICT,
        what
            + ". Publish it as "
            + InterfaceChanges.nextLine(version, releases.stream().map(Release::version).toList())
            + " (a new line), or with interfaceChange=true (ferry publish --interface-change) as "
            + version
            + " anyway",
        Map.of("field", "version", "changes", changes, "comparedWith", earlier.get().version()));
  }
}
