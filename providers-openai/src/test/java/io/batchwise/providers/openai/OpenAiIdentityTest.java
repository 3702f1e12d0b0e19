package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.spi.VectorIdentity;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The openai provider's vector identity names the endpoint, never its secrets. */
class OpenAiIdentityTest {

  private static VectorIdentity identity(Map<String, String> options) {
    try (RemoteEmbeddingProvider p = TestProviders.create(options)) {
      return p.identity();
    }
  }

  @Test
  @DisplayName("the endpoint is host, port and path; user info and key never appear")
  void endpointWithoutSecrets() {
    VectorIdentity id =
        identity(
            Map.of(
                "openai.base-url",
                "https://someone:hunter2pw@Models.Example.com:8443/v1/",
                "openai.api-key",
                TestProviders.KEY));
    assertThat(id.attribute(VectorIdentity.ENDPOINT)).contains("models.example.com:8443/v1");
    for (String shown : new String[] {id.toString(), id.namespace(), id.attributes().toString()}) {
      assertThat(shown).doesNotContain("hunter2pw", "someone", "SECRETKEY");
    }
    assertThat(
            identity(
                Map.of(
                    "openai.base-url",
                    "https://models.example.com:8443/v1",
                    "openai.api-key",
                    TestProviders.KEY)))
        .as("a trailing slash or another key does not change the vectors")
        .isEqualTo(id);
  }

  @Test
  void theAzureDeploymentIsPartOfTheIdentity() {
    Map<String, String> azure =
        Map.of(
            "openai.base-url",
            "https://res.openai.azure.com",
            "openai.api-key",
            TestProviders.KEY,
            "openai.azure-deployment",
            "embed-small");
    assertThat(identity(azure).attribute(VectorIdentity.DEPLOYMENT)).contains("embed-small");
    assertThat(identity(azure).attribute(VectorIdentity.ENDPOINT))
        .contains("res.openai.azure.com:443");
  }
}
