package dev.ferry.hub.capture;

import dev.ferry.protocol.capture.CapturePolicy;
import dev.ferry.protocol.capture.CapturedTensor;
import dev.ferry.protocol.json.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * Packs the samples of one model version and one UTC day into a dataset: {@code index.jsonl} (one
 * line per sample: sample id, device, time, failed, and per tensor its name, side, datatype, shape
 * and file) and {@code tensors/<sample>-<k>.npy} files that NumPy reads without Ferry.
 */
final class DatasetPacker {
  /** Annotation keys of a dataset manifest. */
  static final String MODEL = "dev.ferry.capture.model";

  static final String VERSION = "dev.ferry.capture.version";
  static final String DEVICES = "dev.ferry.capture.devices";
  static final String FROM = "dev.ferry.capture.from";
  static final String TO = "dev.ferry.capture.to";
  static final String SAMPLES = "dev.ferry.capture.samples";
  static final String POLICY = "dev.ferry.capture.policy";

  private final JsonCodec codec = new JsonCodec();

  /**
   * Packs samples, all of one model version and day.
   *
   * @param model the model
   * @param version the version
   * @param day the UTC day
   * @param part the part of that day, from 1
   * @param samples the samples
   * @param policy the policy they were captured under, or null when unknown
   * @return the dataset
   */
  Dataset pack(
      String model,
      String version,
      LocalDate day,
      int part,
      List<StoredSample> samples,
      CapturePolicy policy) {
    List<StoredSample> ordered = new ArrayList<>(samples);
    ordered.sort(Comparator.comparing((StoredSample s) -> s.sample().capturedAt()));
    Map<String, byte[]> tensors = new LinkedHashMap<>();
    ByteArrayOutputStream index = new ByteArrayOutputStream();
    for (StoredSample sample : ordered) {
      index.writeBytes(codec.encode(line(sample, tensors)));
      index.write('\n');
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("index.jsonl", index.toByteArray());
    files.putAll(tensors);
    String name = name(version, day, part);
    List<String> devices =
        ordered.stream().map(StoredSample::deviceId).distinct().sorted().toList();
    Instant from = ordered.get(0).sample().capturedAt();
    Instant to = ordered.get(ordered.size() - 1).sample().capturedAt();
    return new Dataset(
        name,
        files,
        annotations(model, version, devices, from, to, ordered.size(), policy),
        ordered.size(),
        devices,
        from,
        to);
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

  private Map<String, String> annotations(
      String model,
      String version,
      List<String> devices,
      Instant from,
      Instant to,
      int count,
      CapturePolicy policy) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put(MODEL, model);
    annotations.put(VERSION, version);
    annotations.put(DEVICES, String.join(",", devices));
    annotations.put(FROM, from.toString());
    annotations.put(TO, to.toString());
    annotations.put(SAMPLES, String.valueOf(count));
    if (policy != null) {
      annotations.put(POLICY, new String(codec.encode(policy), StandardCharsets.UTF_8));
    }
    return annotations;
  }
}
