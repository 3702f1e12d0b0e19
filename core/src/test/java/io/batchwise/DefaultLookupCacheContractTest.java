package io.batchwise;

import io.batchwise.spi.EmbeddingCache;
import io.batchwise.testkit.EmbeddingCacheContract;

/**
 * The cache contract against a cache that implements only the bulk get and put and the
 * invalidations ({@link EmbedPipelineTest.MapCache}), so that {@link EmbeddingCache}'s own {@code
 * getAllOrLoad} and {@code getAllOrCompute} are what the contract's lookup rules check: what a
 * third-party cache gets unless it overrides them.
 */
class DefaultLookupCacheContractTest extends EmbeddingCacheContract {

  @Override
  protected EmbeddingCache createCache() {
    return new EmbedPipelineTest.MapCache();
  }
}
