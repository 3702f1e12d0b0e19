package io.batchwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CaffeineBinderTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void reportsHitsMissesAndSizeTaggedWithTheCacheName() {
    Cache<String, String> cache =
        CaffeineBinder.bind(
            registry,
            Caffeine.newBuilder().maximumSize(100).recordStats().<String, String>build(),
            "vectors");
    cache.put("a", "1");
    cache.getIfPresent("a");
    cache.getIfPresent("a");
    cache.getIfPresent("b");

    assertThat(
            registry
                .get("cache.gets")
                .tags(MeterNames.TAG_CACHE, "vectors", "result", "hit")
                .functionCounter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("cache.gets")
                .tags(MeterNames.TAG_CACHE, "vectors", "result", "miss")
                .functionCounter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("cache.size").tags(MeterNames.TAG_CACHE, "vectors").gauge().value())
        .isEqualTo(1);
  }

  @Test
  void aCacheWithoutStatsReportsOnlyItsSize() {
    Cache<String, String> cache =
        CaffeineBinder.bind(registry, Caffeine.newBuilder().<String, String>build(), "plain");
    cache.put("x", "1");
    assertThat(registry.find("cache.gets").tag(MeterNames.TAG_CACHE, "plain").meters()).isEmpty();
    assertThat(registry.get("cache.size").tags(MeterNames.TAG_CACHE, "plain").gauge().value())
        .isEqualTo(1);
  }
}
