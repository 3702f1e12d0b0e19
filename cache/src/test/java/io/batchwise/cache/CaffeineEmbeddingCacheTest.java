package io.batchwise.cache;

import io.batchwise.cache.testing.EmbeddingCacheContractTest;
import io.batchwise.cache.testing.TestContexts;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

class CaffeineEmbeddingCacheTest extends EmbeddingCacheContractTest {
  @Override
  protected LoadingEmbeddingCache create(MeterRegistry registry) {
    CaffeineCacheFactory f = new CaffeineCacheFactory();
    return (LoadingEmbeddingCache)
        f.create(TestContexts.of(f, Map.of("cache.max-entries", "100000"), registry));
  }

  @Override
  protected String tag() {
    return "caffeine";
  }
}
