package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.spi.CacheKey;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cache hit is checked like a provider's answer: a cached vector of the wrong length, or with a
 * NaN or infinite value, is a miss; the text is embedded again and the entry overwritten.
 */
class CachedVectorCheckTest {
  @TempDir Path dir;

  static Stream<Arguments> badVectors() {
    float[] nan = FakeEmbeddingProvider.vectorOf("hello", 8);
    nan[3] = Float.NaN;
    float[] infinite = FakeEmbeddingProvider.vectorOf("hello", 8);
    infinite[7] = Float.NEGATIVE_INFINITY;
    List<Arguments> cases = new ArrayList<>();
    for (String cache : List.of("sqlite", "caffeine")) {
      cases.add(Arguments.of(cache, "too short", new float[] {0.5f, 0.5f, 0.5f}));
      cases.add(Arguments.of(cache, "too long", FakeEmbeddingProvider.vectorOf("hello", 16)));
      cases.add(Arguments.of(cache, "NaN", nan));
      cases.add(Arguments.of(cache, "infinite", infinite));
    }
    return cases.stream();
  }

  private Batchwise open(String cache, FakeEmbeddingProvider provider) {
    Batchwise.Builder builder = Batchwise.builder().provider(provider).cache(cache);
    if (!cache.equals("caffeine")) { // an option of a cache that is not selected fails at build()
      builder.option("cache.path", dir.resolve("cache.db").toString());
    }
    return builder.sources(new Properties(), Map.of()).build();
  }

  private static List<String> sent(FakeEmbeddingProvider provider) {
    return provider.calls.stream().flatMap(List::stream).toList();
  }

  @ParameterizedTest(name = "{0}: a cached vector {1}")
  @MethodSource("badVectors")
  void aBadCachedVectorIsAMissAndIsOverwritten(String cache, String what, float[] bad) {
    float[] good = FakeEmbeddingProvider.vectorOf("hello", 8);
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (Batchwise bw = open(cache, provider)) {
      CacheKey key = CacheKey.of(bw.embedder().identity().namespace(), "hello");
      bw.cache().putAll(Map.of(key, bad)); // under the very key the pipeline looks up

      EmbedResult result = bw.embedder().embedAll(List.of("hello", "world"));
      assertThat(result.embeddings().get(0).cacheHit()).isFalse();
      assertThat(result.embeddings().get(0).vector()).containsExactly(good);
      assertThat(sent(provider)).containsExactlyInAnyOrder("hello", "world");
      assertThat(bw.cache().getAll(List.of(key)).get(key)).as("overwritten").containsExactly(good);

      EmbedResult again = bw.embedder().embedAll(List.of("hello"));
      assertThat(again.embeddings().get(0).cacheHit()).isTrue();
      assertThat(again.embeddings().get(0).vector()).containsExactly(good);
      assertThat(sent(provider)).containsExactlyInAnyOrder("hello", "world");
    }
    if (cache.equals("sqlite")) {
      FakeEmbeddingProvider later = FakeEmbeddingProvider.small();
      try (Batchwise bw = open(cache, later)) {
        EmbedResult reopened = bw.embedder().embedAll(List.of("hello"));
        assertThat(reopened.embeddings().get(0).cacheHit())
            .as("the file holds the good vector")
            .isTrue();
        assertThat(reopened.embeddings().get(0).vector()).containsExactly(good);
        assertThat(later.calls).isEmpty();
      }
    }
  }
}
