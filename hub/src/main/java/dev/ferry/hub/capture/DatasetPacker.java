package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Packs samples of one model version and one UTC day, captured under one policy, into a dataset:
 * {@code index.jsonl} (one line per sample: sample id, device, time, failed, and per tensor its
 * name, side, datatype, shape and file) and {@code tensors/<sample>-<k>.npy} files that NumPy reads
 * without Ferry. The annotations name the policy the samples were captured under.
 */
final class DatasetPacker {
  /** Annotation keys of a dataset manifest. */
  static final String MODEL = "dev.ferry.capture.model";

  static final String VERSION = "dev.ferry.capture.version";
  static final String DEVICES = "dev.ferry.capture.devices";
  static final String FROM = "dev.ferry.capture.from";
  static final String TO = "dev.ferry.capture.to";
  static final String SAMPLES = "dev.ferry.capture.samples";

  /** The policy's JSON as set: sample rate, caps, tensors, rules, selector. */
  static final String POLICY = "dev.ferry.capture.policy";

  /** Where the policy was set: {@code release} (the version's) or {@code rollout}. */
  static final String POLICY_SCOPE = "dev.ferry.capture.policy.scope";

  /** The rollout the policy was set on, for a rollout's. */
  static final String POLICY_ROLLOUT = "dev.ferry.capture.policy.rollout";

  /** The digest of the policy's scope and JSON: equal for datasets captured under one setting. */
  static final String POLICY_DIGEST = "dev.ferry.capture.policy.digest";

  private final JsonCodec codec = new JsonCodec();

  /**
   * Packs a batch of samples, all of one model version, day and policy.
   *
   * @param day the model version and UTC day
   * @param part the part of that day, from 1
   * @param batch the samples and the policy they were captured under
   * @return the dataset
   */
  Dataset pack(CaptureDay day, int part, SampleBatch batch) {
    List<StoredSample> ordered = new ArrayList<>(batch.samples());
    ordered.sort(Comparator.comparing((StoredSample s) -> s.sample().capturedAt()));
    List<String> devices =
        ordered.stream().map(StoredSample::deviceId).distinct().sorted().toList();
    Instant from = ordered.get(0).sample().capturedAt();
    Instant to = ordered.get(ordered.size() - 1).sample().capturedAt();
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(MODEL, day.model());
    annotations.put(VERSION, day.version());
    annotations.put(DEVICES, String.join(",", devices));
    annotations.put(FROM, from.toString());
    annotations.put(TO, to.toString());
    annotations.put(SAMPLES, String.valueOf(ordered.size()));
    annotations.putAll(policyAnnotations(batch.policy()));
    String name = name(day.version(), day.day(), part);
    return new Dataset(name, files(ordered), annotations, ordered.size(), devices, from, to);
  }

  /** The index first, then the tensors in the index's order. */
  private Map<String, byte[]> files(List<StoredSample> ordered) {
    Map<String, byte[]> tensors = new LinkedHashMap<>();
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    for (StoredSample sample : ordered) {
      index.writeBytes(codec.encode(line(sample, tensors)));
      index.write('\n');
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("index.jsonl", index.toByteArray());
    files.putAll(tensors);
    return files;
  }

  /** The annotations naming a policy; none when it is not known. */
  static Map<String, String> policyAnnotations(PolicyRecord policy) {
    if (policy == null) {
      return Map.of();
    }
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(POLICY, policy.json());
    annotations.put(POLICY_SCOPE, policy.scope());
    annotations.put(POLICY_DIGEST, policy.digest().toString());
    if (policy.rolloutId() != null) {
      annotations.put(POLICY_ROLLOUT, policy.rolloutId());
    }
    return annotations;
  }

  /** The dataset name and tag; a semantic version's {@code +} is not allowed in a tag. */
  static String name(String version, LocalDate day, int part) {
    return version.replace('+', '_') + "-" + day + (part > 1 ? "-" + part : "");
  }

  /** The UTC day of a capture. */
  static LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  private Map<String, Object> line(StoredSample stored, Map<String, byte[]> files) {
    List<Map<String, Object>> tensors = new ArrayList<>();
    List<CapturedTensor> captured = stored.sample().tensors();
    for (int k = 0; k < captured.size(); k++) {
      String file = "tensors/" + stored.deviceId() + "." + stored.sample().id() + "-" + k + ".npy";
      files.put(file, NpyFile.of(captured.get(k)));
      tensors.add(tensor(captured.get(k), file));
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("sample", stored.sample().id());
    line.put("device", stored.deviceId());
    line.put("capturedAt", stored.sample().capturedAt().toString());
    line.put("failed", stored.sample().failed());
    line.put("tensors", tensors);
    return line;
  }

  private static Map<String, Object> tensor(CapturedTensor tensor, String file) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("name", tensor.name());
    entry.put("output", tensor.output());
    entry.put("datatype", tensor.datatype().name());
    entry.put("shape", tensor.shape());
    entry.put("file", file);
    return entry;
  }
}
