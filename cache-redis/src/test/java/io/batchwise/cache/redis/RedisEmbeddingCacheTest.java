package io.batchwise.cache.redis;

import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.redis.testing.TestRedis;
import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.TestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class RedisEmbeddingCacheTest extends EmbeddingCacheContractTest {
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
    RedisCacheFactory f = new RedisCacheFactory();
    // a key prefix per test keeps tests apart on one server
    return (LoadingEmbeddingCache)
        f.create(
            TestContexts.of(
                f,
                Map.of(
                    "cache.uri",
                    redis.uri(),
                    "cache.key-prefix",
                    "test" + TEST.incrementAndGet() + ":",
                    "cache.redis.timeout",
                    "5s"),
                registry));
  }

  @Override
  protected String tag() {
    return "redis";
  }
}
