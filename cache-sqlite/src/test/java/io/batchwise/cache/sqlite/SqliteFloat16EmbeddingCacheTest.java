package io.batchwise.cache.sqlite;

import io.batchwise.cache.testing.TestContexts;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.testkit.EmbeddingCacheContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** Core's contract for the lossy float16 encoding, on SQLite. */
class SqliteFloat16EmbeddingCacheTest extends EmbeddingCacheContract {
  @TempDir Path dir;

  @Override
  protected EmbeddingCache createCache() {
    SqliteCacheFactory f = new SqliteCacheFactory();
    return f.create(
        TestContexts.of(
            f,
            Map.of("cache.path", dir.resolve("half.db").toString(), "cache.float16", "true"),
            new SimpleMeterRegistry()));
  }

  @Override
  protected boolean isLossless() {
    return false;
  }
}
