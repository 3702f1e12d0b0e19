package io.batchwise.benchmarks.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pipeline section's no-op provider, run through the real pipeline of this version. */
class NoOpProviderTest {

  @Test
  @DisplayName("every text gets the constant vector and a token per four characters, plus one")
  void answersEveryTextAtOnce() {
    List<String> texts = List.of("one", "a text of twenty-two", "one", "x".repeat(4000));
    try (Batchwise batchwise = Batchwise.builder().provider(new NoOpProvider()).build()) {
      EmbedResult result = batchwise.embedder().embedAll(texts);
      assertThat(result.embeddings()).hasSize(texts.size());
      for (int i = 0; i < 3; i++) {
        Embedding e = result.embeddings().get(i);
        assertThat(e.succeeded()).isTrue();
        assertThat(e.vector()).hasSize(NoOpProvider.DIMENSIONS).containsOnly(0.5f);
        assertThat(e.tokens()).isEqualTo(texts.get(i).length() / 4 + 1);
      }
      // 1,001 tokens is over the model's 512 per input: the pipeline's limit applies as to any
      // provider (the section's texts stay far below it)
      assertThat(result.embeddings().get(3).succeeded()).isFalse();
    }
  }
}
