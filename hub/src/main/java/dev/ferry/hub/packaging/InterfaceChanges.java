package dev.ferry.hub.packaging;

import dev.ferry.protocol.json.Fields;
import dev.ferry.protocol.release.ModelNames;
import dev.ferry.protocol.release.ServingSpec;
import dev.ferry.protocol.release.TensorSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * What a new release of a model breaks for the clients of an earlier one, and which releases
 * promise one interface. A client of the earlier release sends its inputs by name and reads its
 * outputs by name (Open Inference Protocol), so it breaks on:
 *
 * <ul>
 *   <li>an input gone, new, of another datatype or rank, or with a dimension that no longer takes
 *       what it took (a fixed size changed, or a dynamic one fixed; a fixed one made dynamic still
 *       takes it);
 *   <li>an output gone, of another datatype or rank, or with a dimension that may now differ from
 *       what it was (a fixed size changed or made dynamic; a dynamic one fixed is still a size it
 *       could have had).
 * </ul>
 *
 * An output added breaks no one. Releases of one semantic version's major (of its minor below
 * 1.0.0, as Cargo and npm's caret read it) make one line that keeps one interface; a pre-release
 * promises nothing (semver.org, item 9).
 */
public final class InterfaceChanges {
  private InterfaceChanges() {}

  /**
   * The line of releases a version promises its interface to.
   *
   * @param version a semantic version
   * @return {@code 1.x} for 1.4.0, {@code 0.3.x} for 0.3.1; empty for a pre-release
   */
  static Optional<String> lineOf(String version) {
    Matcher semver = ModelNames.SEMVER.matcher(version);
    if (!semver.matches() || semver.group(4) != null) {
      return Optional.empty();
    }
    String major = semver.group(1);
    return Optional.of(major.equals("0") ? "0." + semver.group(2) + ".x" : major + ".x");
  }

  /**
   * The first version of a line after the model's: where an interface change belongs.
   *
   * @param version a semantic version
   * @param taken the model's versions already published, revoked ones included
   * @return for 1.4.0, 2.0.0, or the major after the highest taken (3.0.0 beside a 2.0.0); for
   *     0.3.1, 0.4.0, or the minor after the highest 0.x taken
   */
  static String nextLine(String version, Collection<String> taken) {
    BigInteger[] mine = majorMinor(version);
    BigInteger major = mine[0];
    BigInteger minor = mine[1];
    for (String other : taken) {
      Matcher semver = ModelNames.SEMVER.matcher(other);
      if (semver.matches() && semver.group(4) == null) {
        BigInteger[] theirs = majorMinor(other);
        major = major.max(theirs[0]);
        minor = theirs[0].signum() == 0 ? minor.max(theirs[1]) : minor;
      }
    }
    return mine[0].signum() == 0
        ? "0." + minor.add(BigInteger.ONE) + ".0"
        : major.add(BigInteger.ONE) + ".0.0";
  }

  /** Semver puts no bound on a number's digits, so they are read whole. */
  private static BigInteger[] majorMinor(String version) {
    Matcher semver = ModelNames.SEMVER.matcher(version);
    if (!semver.matches()) {
      throw new IllegalArgumentException("not a semantic version: " + version);
    }
    return new BigInteger[] {new BigInteger(semver.group(1)), new BigInteger(semver.group(2))};
  }

  /**
   * The changes that break a client of the earlier release.
   *
   * @param before the earlier release's serving spec, with its inputs and outputs
   * @param after the new model's
   * @return one phrase each (input 'x' has shape [1, 3], was [1, 4]), inputs first; empty when none
   */
  static List<String> breaking(ServingSpec before, ModelSignature after) {
    return breaking(before, after.inputs(), after.outputs());
  }

  /**
   * The changes that break a client of one release when its device is given another: the same rule,
   * between two published releases of a model.
   *
   * @param before the release the client was written for
   * @param after the release it is given
   * @return one phrase each, inputs first; empty when none
   */
  public static List<String> breaking(ServingSpec before, ServingSpec after) {
    return breaking(before, after.inputs(), after.outputs());
  }

  private static List<String> breaking(
      ServingSpec before, List<TensorSpec> afterInputs, List<TensorSpec> afterOutputs) {
    List<String> changes = new ArrayList<>();
    Map<String, TensorSpec> inputs = byName(afterInputs);
    for (TensorSpec was : before.inputs()) {
      compare("input", was, inputs.remove(was.name()), true, changes);
    }
    inputs
        .values()
        .forEach(
            added ->
                changes.add(
                    "input "
                        + Fields.show(added.name())
                        + " is new ("
                        + added.datatype()
                        + " "
                        + added.shape()
                        + ")"));
    Map<String, TensorSpec> outputs = byName(afterOutputs);
    for (TensorSpec was : before.outputs()) {
      compare("output", was, outputs.get(was.name()), false, changes);
    }
    return changes;
  }

  private static void compare(
      String kind, TensorSpec was, TensorSpec now, boolean isInput, List<String> changes) {
    String name = kind + " " + Fields.show(was.name());
    if (now == null) {
      changes.add(name + " is gone");
    } else if (now.datatype() != was.datatype()) {
      changes.add(name + " is " + now.datatype() + ", was " + was.datatype());
    } else if (!fits(was.shape(), now.shape(), isInput)) {
      changes.add(name + " has shape " + now.shape() + ", was " + was.shape());
    }
  }

  /** An input's dimension may widen to dynamic; an output's may narrow to a fixed size. */
  private static boolean fits(List<Long> was, List<Long> now, boolean isInput) {
    if (was.size() != now.size()) {
      return false;
    }
    for (int i = 0; i < was.size(); i++) {
      long widened = isInput ? now.get(i) : was.get(i);
      if (!was.get(i).equals(now.get(i)) && widened != -1) {
        return false;
      }
    }
    return true;
  }

  private static Map<String, TensorSpec> byName(List<TensorSpec> tensors) {
    Map<String, TensorSpec> named = new LinkedHashMap<>();
    tensors.forEach(t -> named.put(t.name(), t));
    return named;
  }
}
