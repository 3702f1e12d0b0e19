package io.batchwise.cache.redis;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.TieredCacheFactory;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.TestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class TieredRedisEmbeddingCacheTest extends EmbeddingCacheContractTest {
  private static final AtomicInteger TEST = new AtomicInteger();
  static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected LoadingEmbeddingCache create(MeterRegistry registry) {
    TieredCacheFactory f = new TieredCacheFactory();
    return (LoadingEmbeddingCache)
        f.create(
            TestContexts.of(
                f,
                Map.of(
                    "cache.back",
                    "redis",
                    "cache.uri",
                    redis.uri(),
                    "cache.key-prefix",
                    "tiered" + TEST.incrementAndGet() + ":",
                    "cache.redis.timeout",
                    "5s"),
                registry));
  }

  @Override
  protected String tag() {
    return "tiered";
  }
}
