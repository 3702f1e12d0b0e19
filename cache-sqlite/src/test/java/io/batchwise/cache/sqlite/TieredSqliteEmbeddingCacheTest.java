package io.batchwise.cache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.TieredCacheFactory;
import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.TestContexts;
import io.batchwise.spi.CacheHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TieredSqliteEmbeddingCacheTest extends EmbeddingCacheContractTest {
  @TempDir Path dir;

  @Override
  protected LoadingEmbeddingCache create(MeterRegistry registry) {
    TieredCacheFactory f = new TieredCacheFactory();
    return (LoadingEmbeddingCache)
        f.create(
            TestContexts.of(
                f,
                Map.of(
                    "cache.back", "sqlite",
                    "cache.max-entries", "10000",
                    "cache.path", dir.resolve("tiered.db").toString()),
                registry));
  }

  @Override
  protected String tag() {
    return "tiered";
  }

  @Test
  void healthIsTheBreakerOfTheBackNotOfTheMemoryFront() {
    assertThat(cache.health())
        .isEqualTo(
            new CacheHealth(
                CacheHealth.Breaker.CLOSED, "SQLite cache " + dir.resolve("tiered.db")));
  }
}
