package io.batchwise.examples.customprovider;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.meters.MeterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chosen by id, the third-party provider runs through the whole pipeline: dedupe, batching,
 * metrics.
 */
class HashingProviderThroughBatchwiseTest {

  @Test
  @DisplayName(
      "used by id, it gets dedupe, micro-batching, concurrency and metrics from the pipeline")
  void pipelineForFree() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      texts.add("document number " + (i % 1500) + " about topic " + (i % 1500 % 7));
    }
    try (Batchwise bw =
        Batchwise.builder()
            .sources(new Properties(), Map.of())
            .provider("hashing")
            .option("hashing.dimensions", "128")
            .build()) {
      EmbedResult result = bw.embedder().embedAll(texts);
      assertThat(result.allSucceeded()).isTrue();
      assertThat(result.vectors()).hasSize(2000).allSatisfy(v -> assertThat(v).hasSize(128));
      // duplicates embedded once, each duplicate gets the same vector as its first occurrence
      assertThat(result.usage().uniqueInputs()).isEqualTo(1500);
      assertThat(result.vectors().get(1600)).containsExactly(result.vectors().get(100));
      // the pipeline split the work into micro-batches of at most 256 inputs
      assertThat(result.usage().providerCalls()).isGreaterThanOrEqualTo(1500 / 256 + 1);
      assertThat(bw.meterRegistry().get(MeterNames.EMBED_CALLS).counter().count())
          .isEqualTo(result.usage().providerCalls());
      assertThat(bw.meterRegistry().get(MeterNames.EMBED_INPUTS).counter().count()).isEqualTo(2000);
    }
  }
}
