package io.batchwise.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.testing.FakeTicker;
import io.batchwise.cache.testing.MapByteStore;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tiered composition over a back that outlives its front: the test-jar's map store, shared by
 * two tiered stores as a file or a server is by two processes. The tiered cache over the real backs
 * is tested in batchwise-cache-sqlite and batchwise-cache-redis.
 */
class TieredByteStoreTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private LoadingEmbeddingCache tiered(MapByteStore back) {
    TieredByteStore store =
        Stores.tiered(
            Stores.caffeine("tiered", CaffeineSettings.ofEntries(1000), registry, new FakeTicker()),
            GuardedByteStore.guard(back, "the map cache", registry));
    return Stores.embeddingCache(store, false, registry);
  }

  @Test
  void aBackHitFillsTheFront() throws Exception {
    MapByteStore back = new MapByteStore();
    CacheKey k = CacheKey.of(Vectors.NS, "filled");
    try (LoadingEmbeddingCache writer = tiered(back)) {
      writer.putAll(Map.of(k, new float[] {7, 8}));
    }
    try (LoadingEmbeddingCache reader = tiered(back)) {
      TieredByteStore store = (TieredByteStore) reader.store();
      assertThat(store.front().size()).as("a new process starts with an empty front").isZero();
      assertThat(reader.getAll(List.of(k)).get(k)).containsExactly(7, 8);
      assertThat(store.front().size()).isEqualTo(1);

      back.clear();
      assertThat(reader.getAll(List.of(k)).get(k)).as("served by the front").containsExactly(7, 8);
    }
  }

  @Test
  void storesAndInvalidationsReachBothTiers() {
    CacheKey k = CacheKey.of(Vectors.NS, "both");
    try (LoadingEmbeddingCache cache = tiered(new MapByteStore())) {
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
