package dev.ferry.it.bench;

import dev.ferry.protocol.device.DeviceEvent;
import dev.ferry.protocol.device.EventType;
import dev.ferry.protocol.oci.Annotations;
import dev.ferry.protocol.oci.Descriptor;
import dev.ferry.protocol.oci.Digest;
import dev.ferry.protocol.oci.Manifest;
import dev.ferry.protocol.oci.MediaTypes;
import dev.ferry.protocol.testing.CuttingProxy;
import dev.ferry.protocol.testing.Services;
import dev.ferry.protocol.testing.TestHub;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * B1 and B2: the agent pulls and verifies an artifact whose model layer is {@code bytes} of
 * generated weights (DESIRED_ACCEPTED → VERIFIED in its own events), against {@code skopeo copy} of
 * the same manifest to an {@code oci:} folder and against the floor, {@code curl} of the blob piped
 * through {@code sha256sum} to disk; then the same pull through a proxy that cuts the connection at
 * half the blob, counting every byte the registry sent.
 */
final class TransferBench {
  /** What was measured. */
  record Result(
      List<Double> ferrySeconds,
      List<Double> skopeoSeconds,
      List<Double> floorSeconds,
      long blobBytes,
      long resumedForwardedBytes) {
    double ferry() {
      return Stats.median(ferrySeconds);
    }

    double skopeo() {
      return Stats.median(skopeoSeconds);
    }

    double floor() {
      return Stats.median(floorSeconds);
    }

    double resumeRatio() {
      return (double) resumedForwardedBytes / blobBytes;
    }
  }

  private TransferBench() {}

  static Result run(Path dir, long bytes, int runs) throws Exception {
    int registryPort =
        Integer.parseInt(Services.start("registry").get("FERRY_REGISTRY").split(":")[1]);
    try (CuttingProxy proxy = new CuttingProxy(registryPort, bytes / 2, false);
        AgentRig rig = new AgentRig(dir, proxy.address())) {
      String repository = "bench/" + rig.device;
      TestHub.Release small = rig.publish(BenchModel.generated("big", 4, dir), "1.0.0");
      Path blob = dir.resolve("weights.bin");
      Digest digest = generate(blob, bytes);
      rig.client.pushBlob(repository, digest, blob, done -> {});
      Files.delete(blob);
      Manifest manifest =
          Manifest.of(
              small.manifest().artifactType(),
              small.manifest().config(),
              List.of(
                  Descriptor.of(MediaTypes.MODEL_WEIGHT_RAW, digest, bytes)
                      .withAnnotation(Annotations.MODEL_FILEPATH, "model.onnx"),
                  small.manifest().layerAt("serving.json"),
                  small.manifest().layerAt("golden.json")),
              null,
              Map.of());
      TestHub.Release big =
          rig.hub.put(rig.client, rig.registry, repository, "big", "2.0.0", 2, manifest, null);
      String source = "docker://" + rig.registry + "/" + repository + "@" + big.manifestDigest();
      String url = "http://" + rig.registry + "/v2/" + repository + "/blobs/" + digest;

      List<Double> ferry = new ArrayList<>();
      List<Double> skopeo = new ArrayList<>();
      List<Double> floor = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        ferry.add(agentPull(rig, big));
        Path oci = dir.resolve("oci-" + i);
        long start = System.nanoTime();
        Services.exec("skopeo", "copy", "--src-tls-verify=false", source, "oci:" + oci + ":bench");
        skopeo.add((System.nanoTime() - start) / 1e9);
        Services.deleteTree(oci);
        Path file = dir.resolve("curl-" + i);
        start = System.nanoTime();
        String sum =
            Services.exec(
                "bash",
                "-c",
                "set -o pipefail; curl -sS --fail '" + url + "' | tee '" + file + "' | sha256sum");
        floor.add((System.nanoTime() - start) / 1e9);
        if (!sum.startsWith(digest.hex())) {
          throw new AssertionError("curl | sha256sum gave " + sum + ", not " + digest.hex());
        }
        Files.delete(file);
      }

      TestHub.Release viaProxy =
          rig.hub.put(rig.client, proxy.address(), repository, "big", "3.0.0", 3, manifest, null);
      long before = proxy.forwarded();
      agentPull(rig, viaProxy);
      long forwarded = proxy.forwarded() - before;
      rig.stop();
      return new Result(ferry, skopeo, floor, bytes, forwarded);
    }
  }

  /** Seconds from DESIRED_ACCEPTED to VERIFIED on an agent with an empty cache. */
  private static double agentPull(AgentRig rig, TestHub.Release release) throws Exception {
    rig.startFresh();
    int mark = rig.assign(release);
    Duration timeout = Duration.ofMinutes(10);
    DeviceEvent accepted = rig.await(mark, EventType.DESIRED_ACCEPTED, null, timeout);
    DeviceEvent verified = rig.await(mark, EventType.VERIFIED, release.version(), timeout);
    return Duration.between(accepted.at(), verified.at()).toNanos() / 1e9;
  }

  /** Writes {@code bytes} of seeded pseudo-random weights, streaming, and returns their digest. */
  static Digest generate(Path file, long bytes) throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    SplittableRandom random = new SplittableRandom(42);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= chunk.length) {
        int n = (int) Math.min(chunk.length, left);
        random.nextBytes(chunk);
        sha256.update(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
    return Digest.of(sha256);
  }
}
