package io.batchwise.examples.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.Embedding;
import io.batchwise.spi.InputType;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cache keeps a text's query vector and document vector apart: through the real local model
 * with e5-style prefixes and a real Caffeine cache, a query then a document of the same text are
 * two misses (two provider calls), and the same two again are two hits that serve each its own
 * vector.
 */
class InputTypeCacheTest {
  private static final String TEXT = "how does a sourdough starter rise";

  @Test
  @DisplayName(
      "a query then a document of one text: two misses; again: two hits, each its own vector")
  void queriesAndDocumentsAreCachedApart() {
    try (Batchwise bw =
        Batchwise.builder()
            .provider("local")
            .cache("caffeine")
            .options(Map.of("local.query-prefix", "query: ", "local.document-prefix", "passage: "))
            .sources(new Properties(), Map.of())
            .build()) {
      EmbedResult query = bw.embedder().embedAll(List.of(TEXT), InputType.QUERY);
      EmbedResult document = bw.embedder().embedAll(List.of(TEXT), InputType.DOCUMENT);
      assertThat(query.usage().cacheHits()).isZero();
      assertThat(query.usage().providerCalls()).isEqualTo(1);
      assertThat(document.usage().cacheHits())
          .as("the query's vector is not served for the document")
          .isZero();
      assertThat(document.usage().providerCalls()).isEqualTo(1);
      float[] queryVector = query.vectors().get(0);
      float[] documentVector = document.vectors().get(0);
      assertThat(queryVector).isNotEqualTo(documentVector);

      EmbedResult queryAgain = bw.embedder().embedAll(List.of(TEXT), InputType.QUERY);
      EmbedResult documentAgain = bw.embedder().embedAll(List.of(TEXT));
      assertThat(queryAgain.embeddings()).allMatch(Embedding::cacheHit);
      assertThat(documentAgain.embeddings()).allMatch(Embedding::cacheHit);
      assertThat(queryAgain.usage().providerCalls() + documentAgain.usage().providerCalls())
          .isZero();
      assertThat(queryAgain.vectors().get(0)).containsExactly(queryVector);
      assertThat(documentAgain.vectors().get(0)).containsExactly(documentVector);
      assertThat(bw.embedder().embedQuery(TEXT)).containsExactly(queryVector);
    }
  }
}
