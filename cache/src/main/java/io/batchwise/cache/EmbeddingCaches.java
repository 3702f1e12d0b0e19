package io.batchwise.cache;

import io.batchwise.cache.internal.Stores;
import io.batchwise.spi.CacheKey;
import io.batchwise.spi.FactoryContext;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The embedding cache as a view of any {@link ByteStore}.
 *
 * <p>Vectors are stored under {@code emb:<namespace>:<text hash>} as framed float32 (or float16)
 * values; see {@link ValueCodec#floatVectors(boolean)}. In-memory stores keep them decoded, so a
 * hit costs a hash lookup.
 *
 * <pre>{@code
 * ByteStore store = ByteStores.open("sqlite", Map.of("cache.path", "emb.db"), registry); // batchwise-cache-sqlite
 * LoadingEmbeddingCache cache = EmbeddingCaches.over(store, false, registry);
 * }</pre>
 */
public final class EmbeddingCaches {
  private EmbeddingCaches() {}

  /**
   * The embedding view of {@code store}, configured from the context ({@code cache.float16}).
   *
   * @param store the store; the cache owns it and closes it
   * @param context configuration and the meter registry
   * @return the cache
   */
  public static LoadingEmbeddingCache over(ByteStore store, FactoryContext context) {
    return over(store, Stores.float16(context.config()), context.meterRegistry());
  }

  /**
   * The embedding view of {@code store}.
   *
   * @param store the store; the cache owns it and closes it
   * @param float16 whether to write vectors as float16 (reads accept both)
   * @param registry where hits, misses, puts, errors and lookup times are recorded, tagged {@code
   *     cache=<store id>}
   * @return the cache
   */
  public static LoadingEmbeddingCache over(
      ByteStore store, boolean float16, MeterRegistry registry) {
    return Stores.embeddingCache(store, float16, registry);
  }

  /**
   * The store key under which the embedding view keeps the vector of {@code key}: {@code
   * emb:<namespace>:<text hash>}. For looking at a store's own data (a SQLite row, a Redis key
   * under the key prefix) when diagnosing it.
   *
   * @param key the cache key
   * @return the store key
   */
  public static String storeKey(CacheKey key) {
    return Stores.embeddingKey(key);
  }
}
