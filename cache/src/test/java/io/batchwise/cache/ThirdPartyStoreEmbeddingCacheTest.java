package io.batchwise.cache;

import static io.batchwise.cache.testing.TestContexts.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.MapByteStore;
import io.batchwise.cache.testing.Vectors;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.CacheHealth;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A backend written only against {@link ByteStore} serves both views, and its outages are guarded.
 */
class ThirdPartyStoreEmbeddingCacheTest extends EmbeddingCacheContractTest {
  final MapByteStore store = new MapByteStore();

  @Override
  protected LoadingEmbeddingCache create(MeterRegistry registry) {
    return EmbeddingCaches.over(store, false, registry);
  }

  @Override
  protected String tag() {
    return "map";
  }

  @Test
  void theSameStoreServesAMemoizer() {
    AtomicInteger calls = new AtomicInteger();
    MemoizedFunction<String, String> f =
        Memoizer.builder()
            .store(loading().store())
            .build()
            .memoize(
                "upper",
                s -> {
                  calls.incrementAndGet();
                  return s.toUpperCase(Locale.ROOT);
                },
                ValueCodec.utf8(),
                null,
                0);
    assertThat(f.apply("x")).isEqualTo("X");
    assertThat(f.apply("x")).isEqualTo("X");
    assertThat(calls).hasValue(1);
    cache.clear(); // the embedding view's clear leaves the memoizer's entries alone
    assertThat(f.apply("x")).isEqualTo("X");
    assertThat(calls).hasValue(1);
  }

  @Test
  void anOutageOfTheBackendIsMissesAndDroppedStoresNotFailures() {
    CacheKey k = CacheKey.of(Vectors.NS, "outage");
    cache.putAll(Map.of(k, new float[] {1}));
    store.down(true);
    assertThat(cache.getAll(List.of(k))).isEmpty();
    cache.putAll(Map.of(k, new float[] {2}));
    assertThatThrownBy(cache::clear).isInstanceOf(CacheUnavailableException.class);
    assertThat(
            count(
                registry,
                MeterNames.CACHE_ERRORS,
                MeterNames.TAG_CACHE,
                "map",
                MeterNames.TAG_OUTCOME,
                "failure"))
        .isEqualTo(3);
  }

  @Test
  void healthReportsTheBreakerOpeningAfterConsecutiveFailures() {
    CacheKey k = CacheKey.of(Vectors.NS, "health");
    assertThat(cache.health())
        .isEqualTo(new CacheHealth(CacheHealth.Breaker.CLOSED, "the map cache"));
    store.down(true);
    for (int i = 0; i < 3; i++) { // the default breaker of a foreign store opens after 3 failures
      assertThat(cache.getAll(List.of(k))).isEmpty();
    }
    assertThat(cache.health())
        .isEqualTo(new CacheHealth(CacheHealth.Breaker.OPEN, "the map cache"));
  }
}
