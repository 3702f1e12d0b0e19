package io.batchwise.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.meters.MeterNames;
import io.batchwise.testkit.MeterDocs;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenTelemetry GenAI client histograms, recorded beside the {@code batchwise.*} meters for
 * real HTTP calls to an OpenAI-compatible server on loopback, one of them rejected; and the
 * provider's own meters (HTTP bytes in {@code bytes}, server-reported tokens) as {@code MeterNames}
 * documents them.
 */
class OpenAiGenAiMetersTest {
  private final FakeOpenAiServer fake = new FakeOpenAiServer();
  private MockWebServer server;

  @BeforeEach
  void start() throws Exception {
    server = new MockWebServer();
    server.setDispatcher(fake);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void eachCallIsRecordedInTheGenAiHistogramsAndAFailedOneCarriesItsErrorType() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> texts = TestProviders.texts(12, "a sentence about the sea");
    EmbedResult ok;
    EmbedResult failed;
    String model;
    try (Batchwise bw =
        Batchwise.builder()
            .provider("openai")
            .option("openai.base-url", server.url("/v1").toString())
            .option("openai.api-key", TestProviders.KEY)
            .option("openai.dimensions", "8")
            .option("max-attempts", "1")
            .option("coalesce-window", "0ms")
            .meterRegistry(registry)
            .sources(new Properties(), Map.of())
            .build()) {
      model = bw.embedder().modelInfo().modelId();
      ok = bw.embedder().embedAll(texts);
      fake.failNext(400);
      failed = bw.embedder().embedAll(List.of("rejected by the server"));
    }
    assertThat(ok.allSucceeded()).isTrue();
    assertThat(failed.failures()).hasSize(1);
    long tokensSeenByServer = fake.seen().get(0).tokens();

    DistributionSummary duration =
        registry
            .get(MeterNames.GEN_AI_OPERATION_DURATION)
            .tag(MeterNames.GEN_AI_OPERATION_NAME, "embeddings")
            .tag(MeterNames.GEN_AI_PROVIDER_NAME, "openai")
            .tag(MeterNames.GEN_AI_REQUEST_MODEL, model)
            .summaries()
            .stream()
            .filter(s -> s.getId().getTag(MeterNames.ERROR_TYPE) == null)
            .findFirst()
            .orElseThrow();
    assertThat(duration.getId().getBaseUnit()).isEqualTo("s");
    assertThat(duration.count()).isEqualTo(1);
    // seconds, not milliseconds: a loopback call takes well under a minute and more than nothing
    assertThat(duration.totalAmount()).isGreaterThan(0).isLessThan(60);

    DistributionSummary error =
        registry
            .get(MeterNames.GEN_AI_OPERATION_DURATION)
            .tag(
                MeterNames.ERROR_TYPE,
                failed.failures().get(0).error().getCause().getClass().getName())
            .summary();
    assertThat(error.count()).isEqualTo(1);
    assertThat(error.getId().getTag(MeterNames.GEN_AI_OPERATION_NAME)).isEqualTo("embeddings");
    assertThat(error.getId().getTag(MeterNames.GEN_AI_PROVIDER_NAME)).isEqualTo("openai");
    assertThat(error.getId().getTag(MeterNames.GEN_AI_REQUEST_MODEL)).isEqualTo(model);

    DistributionSummary tokens =
        registry
            .get(MeterNames.GEN_AI_TOKEN_USAGE)
            .tag(MeterNames.GEN_AI_TOKEN_TYPE, "input")
            .tag(MeterNames.GEN_AI_OPERATION_NAME, "embeddings")
            .tag(MeterNames.GEN_AI_PROVIDER_NAME, "openai")
            .tag(MeterNames.GEN_AI_REQUEST_MODEL, model)
            .summary();
    assertThat(tokens.getId().getBaseUnit()).isEqualTo("{token}");
    assertThat(tokens.count()).as("answered calls only").isEqualTo(1);
    // the tokens the provider's tokenizer counted are those the server counted with the same
    // encoding
    assertThat(tokens.totalAmount()).isEqualTo(tokensSeenByServer).isEqualTo(ok.usage().tokens());

    MeterDocs docs = MeterDocs.read(Path.of("../core"));
    assertThat(docs.check(registry))
        .contains(
            MeterNames.HTTP_REQUEST_BYTES,
            MeterNames.HTTP_RESPONSE_BYTES,
            MeterNames.HTTP_REQUESTS,
            MeterNames.HTTP_LATENCY,
            MeterNames.TOKENS_PROMPT,
            MeterNames.GEN_AI_OPERATION_DURATION,
            MeterNames.GEN_AI_TOKEN_USAGE);
    assertThat(registry.get(MeterNames.HTTP_REQUEST_BYTES).meter().getId().getType())
        .isEqualTo(Meter.Type.COUNTER);
  }
}
