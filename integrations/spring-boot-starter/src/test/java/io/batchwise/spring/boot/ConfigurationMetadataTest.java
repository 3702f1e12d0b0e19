package io.batchwise.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.Batchwise;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed configuration metadata lists exactly the declared options, so it cannot drift. */
class ConfigurationMetadataTest {

  @Test
  void theCommittedMetadataIsWhatTheDeclaredOptionsMake() throws IOException {
    assertThat(Files.readString(ConfigurationMetadata.FILE, StandardCharsets.UTF_8))
        .as(
            "%s is out of date: run ConfigurationMetadata.main from integrations/spring-boot-starter",
            ConfigurationMetadata.FILE)
        .isEqualTo(ConfigurationMetadata.json());
  }

  @Test
  void theJarCarriesOnePropertyPerDeclaredOption() throws IOException {
    JsonNode metadata;
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the metadata is on the class path where IDEs look").isNotNull();
      metadata = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    metadata.get("properties").forEach(p -> names.add(p.get("name").asText()));
    assertThat(names)
        .containsExactlyElementsOf(
            Batchwise.declaredOptions().keySet().stream().map(k -> "batchwise." + k).toList());
    assertThat(names)
        .contains(
            "batchwise.provider",
            "batchwise.local.model",
            "batchwise.openai.api-key",
            "batchwise.cache.path",
            "batchwise.scheduler.close-mode");
  }
}
