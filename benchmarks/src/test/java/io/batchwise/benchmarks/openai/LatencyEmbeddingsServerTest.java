package io.batchwise.benchmarks.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's server and baselines return the right vectors, so the timings compare equal work.
 */
class LatencyEmbeddingsServerTest {

  @Test
  @DisplayName(
      "every contender gets the server's vectors, in order, with the expected request counts")
  void contendersAgree() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2100; i++) {
      texts.add("text number " + i);
    }
    try (LatencyEmbeddingsServer server = new LatencyEmbeddingsServer(5, 16);
        PlainEmbeddingsClient plain = new PlainEmbeddingsClient(server.baseUrl(), "m");
        Batchwise bw =
            Batchwise.builder()
                .provider("openai")
                .option("openai.base-url", server.baseUrl())
                .option("openai.api-key", "k")
                .option("openai.model", "m")
                .option("openai.dimensions", "16")
                .sources(new Properties(), Map.of())
                .build()) {
      List<String> few = texts.subList(0, 20);
      assertSame(few, plain.sequentialSingles(few));
      assertThat(server.requests()).isEqualTo(20);
      server.resetCounts();
      assertSame(few, plain.parallelSingles(few, 4));
      assertThat(server.requests()).isEqualTo(20);
      assertThat(server.maxInFlight()).isBetween(2, 4);
      server.resetCounts();
      assertSame(texts, plain.sequentialBatches(texts, 2048));
      assertThat(server.requests()).isEqualTo(2);
      assertThat(server.maxInFlight()).isEqualTo(1);
      server.resetCounts();
      assertSame(texts, bw.embedder().embedAll(texts).vectors());
      assertThat(server.requests()).isEqualTo(2);
      assertThat(server.largestRequest()).isEqualTo(2048);
      assertThat(server.inputs()).isEqualTo(2100);
    }
  }

  private static void assertSame(List<String> texts, List<float[]> vectors) {
    assertThat(vectors).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i))
          .containsExactly(LatencyEmbeddingsServer.vectorFor(texts.get(i), 16));
    }
  }
}
