package io.batchwise.spi;

import java.util.Collection;
import java.util.Map;

/** The cache that holds nothing; see {@link EmbeddingCache#none()}. */
final class NoCache implements EmbeddingCache {
  /** The SPI's logger, for its default methods. */
  static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EmbeddingCache.class);

  static final NoCache INSTANCE = new NoCache();

  private NoCache() {}

  @Override
  public Map<CacheKey, float[]> getAll(Collection<CacheKey> keys) {
    return Map.of();
  }

  @Override
  public void putAll(Map<CacheKey, float[]> entries) {}

  @Override
  public void invalidate(CacheKey key) {}

  @Override
  public void invalidateNamespace(String namespace) {}

  @Override
  public void clear() {}

  @Override
  public CacheHealth health() {
    return new CacheHealth(CacheHealth.Breaker.NONE, "none");
  }

  @Override
  public String toString() {
    return "EmbeddingCache.none()";
  }
}
