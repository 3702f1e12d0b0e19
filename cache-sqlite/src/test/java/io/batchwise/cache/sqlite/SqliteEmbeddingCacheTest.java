package io.batchwise.cache.sqlite;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.TestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

class SqliteEmbeddingCacheTest extends EmbeddingCacheContractTest {
  @TempDir Path dir;

  @Override
  protected LoadingEmbeddingCache create(MeterRegistry registry) {
    SqliteCacheFactory f = new SqliteCacheFactory();
    return (LoadingEmbeddingCache)
        f.create(
            TestContexts.of(f, Map.of("cache.path", dir.resolve("cache.db").toString()), registry));
  }

  @Override
  protected String tag() {
    return "sqlite";
  }
}
