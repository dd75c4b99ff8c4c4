package dev.ferry.agent.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The packaged agent drops the jar signatures of BouncyCastle and Paho (application.properties,
 * {@code quarkus.class-loading.removed-resources}), so the JDK does not check them at the first
 * trust-root check and the first MQTT class, and a class archive may hold their classes: the names
 * configured must be the ones the jars on the class path carry, whatever version.
 */
class JarSignaturesTest {
  private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");
  private static final Map<String, String> CLASS_BY_ARTIFACT =
      Map.of(
          "org.bouncycastle:bcprov-jdk18on", "org.bouncycastle.crypto.signers.Ed25519Signer",
          "org.bouncycastle:bcutil-jdk18on", "org.bouncycastle.asn1.bsi.BSIObjectIdentifiers",
          "org.bouncycastle:bcpkix-jdk18on", "org.bouncycastle.openssl.PEMParser",
          "org.eclipse.paho:org.eclipse.paho.client.mqttv3",
              "org.eclipse.paho.client.mqttv3.MqttClient");

  @Test
  void removedResources_nameEverySignatureFileOfTheSignedJars() throws Exception {
    Properties config = new Properties();
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("application.properties")) {
      config.load(in);
    }
    int checked = 0;
    for (var artifact : CLASS_BY_ARTIFACT.entrySet()) {
      String removed =
          config.getProperty(
              "quarkus.class-loading.removed-resources.\"" + artifact.getKey() + "\"", "");
      assertEquals(
          signatureFiles(jarOf(artifact.getValue())),
          new TreeSet<>(Set.of(removed.split(","))),
          artifact.getKey());
      checked++;
    }
    assertEquals(4, checked);
  }

  private static Path jarOf(String className) throws ClassNotFoundException, URISyntaxException {
    return Path.of(
        Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static Set<String> signatureFiles(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      return file.stream()
          .map(entry -> entry.getName())
          .filter(name -> SIGNATURE.matcher(name).matches())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
