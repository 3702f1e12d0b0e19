package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.cache.testing.LogCapture;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.VectorIdentity;
import io.batchwise.testing.FakeEmbeddingProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries written under the previous key format are ignored cleanly, never misread. */
class KeyFormatVersionTest {
  /** How the previous format named the fake provider's namespace: provider/model/dimensions/n|u. */
  private static final String PREVIOUS_NAMESPACE = "fake/fake-model/8/n";

  @TempDir Path dir;

  private Batchwise open(FakeEmbeddingProvider provider) {
    return Batchwise.builder()
        .provider(provider)
        .cache("sqlite")
        .option("cache.path", dir.resolve("cache.db").toString())
        .sources(new Properties(), Map.of())
        .build();
  }

  @Test
  @DisplayName("an entry of the previous key format in a SQLite file is a clean miss, not a hit")
  void thePreviousKeyFormatIsAMiss() {
    float[] planted = {1, 0, 0, 0, 0, 0, 0, 0};
    try (Batchwise old = open(FakeEmbeddingProvider.small())) {
      // what a Batchwise of the previous format stored for "hello":
      // emb:fake/fake-model/8/n:<sha-256>
      old.cache().putAll(Map.of(CacheKey.of(PREVIOUS_NAMESPACE, "hello"), planted));
    }
    FakeEmbeddingProvider provider = FakeEmbeddingProvider.small();
    try (LogCapture log = LogCapture.root(Level.WARN);
        Batchwise bw = open(provider)) {
      assertThat(bw.embedder().identity().namespace()).startsWith(VectorIdentity.KEY_FORMAT + "/");
      EmbedResult result = bw.embedder().embedAll(List.of("hello"));
      assertThat(result.embeddings().get(0).cacheHit()).isFalse();
      assertThat(result.embeddings().get(0).vector())
          .containsExactly(FakeEmbeddingProvider.vectorOf("hello", 8));
      assertThat(provider.calls).containsExactly(List.of("hello"));
      assertThat(log.messages(Level.WARN)).isEmpty();
      assertThat(bw.cache().getAll(List.of(CacheKey.of(PREVIOUS_NAMESPACE, "hello"))).values())
          .as("the old entry is left alone")
          .singleElement()
          .satisfies(v -> assertThat(v).containsExactly(planted));
    }
  }
}
