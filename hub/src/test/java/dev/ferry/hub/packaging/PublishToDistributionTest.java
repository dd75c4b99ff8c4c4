package dev.ferry.hub.packaging;

import dev.ferry.hub.DistributionProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing to the real CNCF Distribution registry, checked with skopeo and openssl. */
@QuarkusTest
@TestProfile(DistributionProfile.class)
class PublishToDistributionTest {
  @TempDir Path dir;

  @Test
  void publishedArtifact_isIntactForSkopeoAndItsSignatureVerifiesWithOpenssl() throws Exception {
    ArtifactChecks.publishAndCheck(dir, DistributionProfile.registry() + "/ferry-it/models/", null);
  }
}
