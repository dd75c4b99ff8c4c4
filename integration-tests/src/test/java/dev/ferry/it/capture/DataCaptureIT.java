package dev.ferry.it.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.it.fleet.JarProcess;
import dev.ferry.it.fleet.Oip;
import dev.ferry.protocol.testing.OnnxModels;
import dev.ferry.protocol.testing.Services;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the loop with real parts: a capture policy set with the {@code ferry} command, an
 * enrolled agent on Mosquitto serving a real model, every request captured and uploaded, the day
 * packed into a dataset artifact in the Distribution registry; skopeo pulls it, Debian's python3
 * with NumPy reads every {@code .npy} and {@code index.jsonl}, and the tensors equal what the agent
 * was sent and answered. {@code ferry capture pull} writes the same files; the retrained model is
 * published as the next version. The steps of the root README's data-capture walkthrough (skopeo
 * with {@code --src-tls-verify=false} here: the test registry speaks plain HTTP).
 */
class DataCaptureIT {
  private static final String MODEL = "capture-it";
  private static final String VERSION = "1.0.0";
  private static final int REQUESTS = 40;

  @TempDir Path dir;

  @Test
  void capturedRequests_comeBackAsADatasetNumpyReadsExactly() throws Exception {
    try (CaptureFleet fleet = CaptureFleet.start(dir)) {
      Cli ferry = fleet.ferry;
      fleet.api.publish(MODEL, VERSION, 7, dir);
      ferry.run("capture", "policy-set", MODEL, VERSION, "--rate", "1", "--max-per-hour", "1000");
      List<String> sent = serveAndUpload(fleet);
      String day = LocalDate.now(ZoneOffset.UTC).toString(); // the requests were served seconds ago

      JsonNode made = ferry.json("capture", "pack", MODEL, VERSION, "--day", day, "--json");
      assertEquals(1, made.size(), made.toString());
      String dataset = made.get(0).path("name").asText();
      String reference = made.get(0).path("reference").asText();
      assertEquals(
          fleet.registry + "/" + fleet.prefix + "/models/" + MODEL + "/captures:" + dataset,
          reference);
      assertEquals(sent.size(), made.get(0).path("samples").asInt());
      assertTrue(ferry.run("capture", "list", MODEL, VERSION).contains(dataset));

      Path pulled = dir.resolve("skopeo");
      Services.exec(
          "skopeo", "copy", "--src-tls-verify=false", "docker://" + reference, "dir:" + pulled);
      assertEquals(sent, Numpy.read(pulled));

      Path viaCli = dir.resolve("ferry-pull");
      ferry.run(
          "capture",
          "pull",
          MODEL,
          VERSION,
          dataset,
          "-o",
          viaCli.toString(),
          "--registry",
          "http://" + fleet.registry);
      Map<String, byte[]> files = Numpy.files(pulled);
      assertEquals(1 + 2 * sent.size(), files.size(), "the index, an input and an output each");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        assertArrayEquals(
            file.getValue(), Files.readAllBytes(viaCli.resolve(file.getKey())), file.getKey());
      }

      // the training job's last step: the retrained model goes out as the next version
      Path retrained = dir.resolve("retrained.onnx");
      OnnxModels.matMulAdd(retrained, "x", 1, 4, 2, 8);
      ferry.run("publish", MODEL, retrained.toString(), "--version", "1.1.0");
    }
  }

  /**
   * Enrolls an agent, rolls the model out to it, sends it the requests and waits until it has
   * uploaded each capture.
   *
   * @return per request its input and the output the agent answered ({@link Numpy#sample}), sorted
   */
  private List<String> serveAndUpload(CaptureFleet fleet) throws Exception {
    String device = "capture-" + fleet.prefix;
    List<String> sent = new ArrayList<>();
    try (JarProcess agent =
        JarProcess.start("agent", fleet.agentEnv(device), dir.resolve("agent.log"))) {
      Oip oip = new Oip(agent);
      // the policy comes with the desired state and is set as it is accepted: the request that
      // first found the version serving was captured, and the next one; both are expected back
      float[] first = {1, 2, 3, 4};
      fleet.rollOut(MODEL, VERSION, device, oip, request(first));
      float[] answered = answer(oip, first);
      assertEquals(
          2, CaptureFleet.captureCount(oip, "captured"), "captured from the first request");
      sent.add(Numpy.sample(first, answered));
      sent.add(Numpy.sample(first, answered));
      for (int i = 0; i < REQUESTS; i++) {
        float[] x = {i, i + 0.1f, -i / 3f, 1f / (i + 7)};
        sent.add(Numpy.sample(x, answer(oip, x)));
      }
      CaptureFleet.awaitUploaded(oip, sent.size(), 60);
    }
    sent.sort(null);
    return sent;
  }

  /** The output of a request, sent as JSON the way a client would (floats as decimal text). */
  private static float[] answer(Oip oip, float[] x) throws Exception {
    var response = oip.infer(MODEL, request(x));
    assertEquals(200, response.statusCode(), response.body());
    JsonNode data = Oip.JSON.readTree(response.body()).path("outputs").get(0).path("data");
    float[] y = new float[data.size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) data.get(i).asDouble();
    }
    return y;
  }

  private static String request(float[] x) {
    StringBuilder data = new StringBuilder();
    for (float v : x) {
      data.append(data.length() == 0 ? "" : ",").append(v);
    }
    return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":["
        + data
        + "]}]}";
  }
}
