package io.batchwise.spi;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
   * Looks up {@code keys}, computes the misses with {@code compute}, stores what it returns, and
   * returns hits and computed vectors together. The embed pipeline calls this once per embed.
   *
   * <p>This default looks up, computes and stores in turn, treating a lookup that throws as all
   * misses and a store that throws as dropped (logged). Implementations may do better: the cache
   * module's caches are single-flight, so concurrent identical misses in one JVM are computed once.
   * {@code compute} may then be called more than once, each time with keys no other caller produced.
   *
   * @param keys the keys wanted
   * @param compute computes vectors for a non-empty set of missing keys; it may leave out keys that
   *     failed, which are then absent from the result and not stored
   * @return a future of every vector found or computed, by key
   */
  default CompletableFuture<Map<CacheKey, float[]>> getAllOrCompute(
      Collection<CacheKey> keys,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    Map<CacheKey, float[]> found;
    try {
      found = getAll(keys);
    } catch (RuntimeException e) {
      NoCache.LOG.warn("cache lookup failed; treating {} keys as misses: {}", keys.size(), e.toString());
      found = Map.of();
    }
    Set<CacheKey> missing = new LinkedHashSet<>();
    for (CacheKey k : keys) {
      if (!found.containsKey(k)) {
        missing.add(k);
      }
    }
    Map<CacheKey, float[]> result = new HashMap<>(found);
    if (missing.isEmpty()) {
      return CompletableFuture.completedFuture(result);
    }
    return compute.apply(missing).thenApply(computed -> {
      Map<CacheKey, float[]> toStore = new HashMap<>();
      computed.forEach((k, v) -> {
        if (missing.contains(k) && v != null) {
          toStore.put(k, v);
        }
      });
      try {
        putAll(toStore);
      } catch (RuntimeException e) {
        NoCache.LOG.warn("cache store failed; {} vectors not cached: {}", toStore.size(), e.toString());
      }
      result.putAll(toStore);
      return result;
    });
  }

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
