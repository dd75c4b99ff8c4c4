package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.protocol.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry capture pull MODEL VERSION DATASET -o DIR [--registry URL]}: the dataset's files
 * from the hub's embedded registry, or anonymously from the external registry the hub pushes to,
 * each checked against its digest, written under DIR by their {@code org.cncf.model.filepath}.
 */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = "Download a captured dataset (index.jsonl and .npy tensors) to a folder.")
final class CapturePull implements Callable<Integer> {
  private static final Pattern FILEPATH = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  @Mixin HubOptions options;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL")
  String model;

  @Parameters(index = "1", paramLabel = "VERSION")
  String version;

  @Parameters(index = "2", paramLabel = "DATASET")
  String dataset;

  @Option(names = "-o", required = true, paramLabel = "DIR", description = "Where to write it.")
  Path out;

  @Option(
      names = "--registry",
      paramLabel = "URL",
      description =
          "The external registry the hub pushes datasets to, http[s]://host[:port], pulled"
              + " anonymously; without it, the hub's embedded registry.")
  URI registry;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws IOException, InterruptedException {
    HubClient client = options.client();
    JsonNode summary = client.get(CaptureCommand.path(model, version) + "/" + dataset).tree();
    String reference = summary.path("reference").asText();
    String repository = reference.substring(reference.indexOf('/') + 1, reference.lastIndexOf(':'));
    String digest = summary.path("digest").asText();
    JsonNode manifest =
        Answer.JSON.readTree(fetch(client, "/v2/" + repository + "/manifests/" + digest, digest));
    int files = 0;
    for (JsonNode layer : manifest.path("layers")) {
      write(
          layer,
          fetch(
              client,
              "/v2/" + repository + "/blobs/" + layer.path("digest").asText(),
              layer.path("digest").asText()));
      files++;
    }
    spec.commandLine().getOut().println(files + " files of " + reference + " in " + out);
    return 0;
  }

  private byte[] fetch(HubClient client, String path, String digest)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            request(client, path)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new HubException(
          HubException.exitCode(response.statusCode()),
          response.statusCode()
              + " for "
              + path
              + (registry == null ? "; an external registry: give --registry" : ""));
    }
    Digest actual = Digest.of(response.body());
    if (!actual.toString().equals(digest)) {
      throw new HubException(Ferry.REFUSED, path + " has digest " + actual + ", not " + digest);
    }
    return response.body();
  }

  private HttpRequest.Builder request(HubClient client, String path) {
    if (registry == null) {
      return client.request(path);
    }
    return HttpRequest.newBuilder(URI.create(registry.toString().replaceAll("/+$", "") + path));
  }

  private void write(JsonNode layer, byte[] bytes) throws IOException {
    String filepath = layer.path("annotations").path("org.cncf.model.filepath").asText();
    if (!FILEPATH.matcher(filepath).matches() || filepath.contains("..")) {
      throw new HubException(Ferry.REFUSED, "refusing the layer file path '" + filepath + "'");
    }
    Path target = out.resolve(filepath);
    Files.createDirectories(target.getParent());
    Files.write(target, bytes);
  }
}
