package io.batchwise.spi;

import java.util.Collection;
import java.util.Map;

/**
 * Bulk get and put of vectors by {@link CacheKey}.
 *
 * <p>A cache must never turn its own outage into a failed embed: an implementation whose backend is
 * down answers lookups as misses and drops stores, and reports that in its logs and metrics. Values
 * returned must not be modified by the caller, and implementations must copy or not retain the arrays
 * they are given if they could be mutated later. Thread-safe.
 */
public interface EmbeddingCache extends AutoCloseable {

  /**
   * Looks up many keys at once.
   *
   * @param keys the keys
   * @return the vectors found, by key; absent keys are misses
   */
  Map<CacheKey, float[]> getAll(Collection<CacheKey> keys);

  /**
   * Stores many vectors at once.
   *
   * @param entries vectors by key
   */
  void putAll(Map<CacheKey, float[]> entries);

  /**
   * Removes one entry.
   *
   * @param key the key
   */
  void invalidate(CacheKey key);

  /**
   * Removes every entry of one namespace (everything one provider model wrote).
   *
   * @param namespace from {@link CacheKey#namespace(String, ModelInfo)}
   */
  void invalidateNamespace(String namespace);

  /** Removes every entry. */
  void clear();

  /** Releases connections and files. Idempotent. */
  @Override
  default void close() {}

  /**
   * The null object: every lookup misses, every store is dropped. Core's default cache.
   *
   * @return a cache that holds nothing
   */
  static EmbeddingCache none() {
    return NoCache.INSTANCE;
  }
}
