package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredByteStoreTest {
  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LoadingEmbeddingCache tiered(Path path) {
    TieredByteStore store = Stores.tiered(
        Stores.caffeine("tiered", CaffeineSettings.ofEntries(1000), registry, new FakeTicker()),
        Stores.sqlite(SqliteSettings.of(path), 3, Duration.ofSeconds(30), registry, new FakeTicker(),
            System::currentTimeMillis));
    return Stores.embeddingCache(store, false, registry);
  }

  @Test
  void aBackHitFillsTheFront() throws Exception {
    Path path = dir.resolve("tiered.db");
    CacheKey k = CacheKey.of(Vectors.NS, "filled");
    try (LoadingEmbeddingCache writer = tiered(path)) {
      writer.putAll(Map.of(k, new float[] {7, 8}));
    }
    try (LoadingEmbeddingCache reader = tiered(path)) {
      TieredByteStore store = (TieredByteStore) reader.store();
      assertThat(store.front().size()).as("a new process starts with an empty front").isZero();
      assertThat(reader.getAll(List.of(k)).get(k)).containsExactly(7, 8);
      assertThat(store.front().size()).isEqualTo(1);

      try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + path);
          Statement s = raw.createStatement()) {
        s.execute("DELETE FROM " + SqliteByteStore.TABLE);
      }
      assertThat(reader.getAll(List.of(k)).get(k)).as("served by the front").containsExactly(7, 8);
    }
  }

  @Test
  void storesAndInvalidationsReachBothTiers() {
    CacheKey k = CacheKey.of(Vectors.NS, "both");
    try (LoadingEmbeddingCache cache = tiered(dir.resolve("both.db"))) {
      TieredByteStore store = (TieredByteStore) cache.store();
      cache.putAll(Map.of(k, new float[] {1}));
      assertThat(store.front().getAll(List.of(ByteStoreEmbeddingCache.storeKey(k)))).hasSize(1);
      assertThat(store.back().getAll(List.of(ByteStoreEmbeddingCache.storeKey(k)))).hasSize(1);
      cache.invalidateNamespace(Vectors.NS);
      assertThat(store.front().getAll(List.of(ByteStoreEmbeddingCache.storeKey(k)))).isEmpty();
      assertThat(store.back().getAll(List.of(ByteStoreEmbeddingCache.storeKey(k)))).isEmpty();
    }
  }
}
