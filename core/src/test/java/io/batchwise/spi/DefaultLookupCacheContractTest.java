package io.batchwise.spi;

import io.batchwise.testkit.EmbeddingCacheContract;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cache contract against a cache that implements only the bulk get and put and the invalidations,
 * so that {@link EmbeddingCache}'s own {@code getAllOrLoad} and {@code getAllOrCompute} are what the
 * contract's lookup rules check: what a third-party cache gets unless it overrides them.
 */
class DefaultLookupCacheContractTest extends EmbeddingCacheContract {

  /** Vectors in a map, copied in and out. */
  static final class MapCache implements EmbeddingCache {
    private final Map<CacheKey, float[]> map = new ConcurrentHashMap<>();

    @Override
    public Map<CacheKey, float[]> getAll(Collection<CacheKey> keys) {
      Map<CacheKey, float[]> found = new HashMap<>();
      for (CacheKey k : keys) {
        float[] v = map.get(k);
        if (v != null) {
          found.put(k, v.clone());
        }
      }
      return found;
    }

    @Override
    public void putAll(Map<CacheKey, float[]> entries) {
      entries.forEach((k, v) -> map.put(k, v.clone()));
    }

    @Override
    public void invalidate(CacheKey key) {
      map.remove(key);
    }

    @Override
    public void invalidateNamespace(String namespace) {
      map.keySet().removeIf(k -> k.namespace().equals(namespace));
    }

    @Override
    public void clear() {
      map.clear();
    }
  }

  @Override
  protected EmbeddingCache createCache() {
    return new MapCache();
  }
}
