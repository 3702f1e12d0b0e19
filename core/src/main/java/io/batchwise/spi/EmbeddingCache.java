package io.batchwise.spi;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Bulk get and put of vectors by {@link CacheKey}.
 *
 * <p>A cache must never turn its own outage into a failed embed: an implementation whose backend is
 * down answers lookups as misses and drops stores, and reports that in its logs and metrics. Values
 * returned must not be modified by the caller, and implementations must copy or not retain the
 * arrays they are given if they could be mutated later. Thread-safe.
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
   * Computes the vectors a cache is missing, handing each group to the cache as soon as it is ready
   * (the embed pipeline hands over each provider call's vectors as the call completes), so that a
   * long computation interrupted part-way keeps what it had computed.
   */
  @FunctionalInterface
  interface Loader {
    /**
     * Computes vectors for {@code missing}.
     *
     * @param missing the keys to compute, never empty, read-only
     * @param ready takes vectors by key as they are computed: the cache stores them (and hands them
     *     to concurrent callers waiting for the same keys) before it returns. It may be called many
     *     times and from any thread; keys not in {@code missing} are ignored, and it never throws
     *     for a backend failure
     * @return completes when loading is over; a key never handed to {@code ready} failed and is
     *     left out of the result. A failed future fails the lookup with its exception
     */
    CompletableFuture<?> load(Set<CacheKey> missing, Consumer<Map<CacheKey, float[]>> ready);
  }

  /**
   * Looks up {@code keys}, has {@code loader} compute the misses, stores each group the loader
   * hands over as it arrives, and returns hits and computed vectors together. The embed pipeline
   * calls this.
   *
   * <p>This default looks up, then loads, storing through {@link #putAll} as vectors arrive; a
   * lookup that throws counts as all misses and a store that throws is dropped (logged).
   * Implementations may do better: the cache module's caches are single-flight, so concurrent
   * identical misses in one JVM are computed once, and a waiting caller gets each vector as soon as
   * it is stored. {@code loader} may then be called more than once, each time with keys no other
   * caller produced.
   *
   * @param keys the keys wanted
   * @param loader computes the vectors of missing keys
   * @return a future of every vector found or computed, by key; it fails only when {@code loader}
   *     throws or its future fails
   */
  default CompletableFuture<Map<CacheKey, float[]>> getAllOrLoad(
      Collection<CacheKey> keys, Loader loader) {
    Map<CacheKey, float[]> found;
    try {
      found = getAll(keys);
    } catch (RuntimeException e) {
      NoCache.LOG.warn(
          "cache lookup failed; treating {} keys as misses: {}", keys.size(), e.toString());
      found = Map.of();
    }
    Set<CacheKey> missing = new LinkedHashSet<>();
    for (CacheKey k : keys) {
      if (!found.containsKey(k)) {
        missing.add(k);
      }
    }
    Map<CacheKey, float[]> result = new ConcurrentHashMap<>(found);
    if (missing.isEmpty()) {
      return CompletableFuture.completedFuture(result);
    }
    Consumer<Map<CacheKey, float[]>> ready =
        computed -> {
          Map<CacheKey, float[]> toStore = new HashMap<>();
          computed.forEach(
              (k, v) -> {
                if (missing.contains(k) && v != null) {
                  toStore.put(k, v);
                }
              });
          try {
            putAll(toStore);
          } catch (RuntimeException e) {
            NoCache.LOG.warn(
                "cache store failed; {} vectors not cached: {}", toStore.size(), e.toString());
          }
          result.putAll(toStore);
        };
    CompletableFuture<?> loading;
    try {
      loading =
          Objects.requireNonNull(
              loader.load(Collections.unmodifiableSet(missing), ready), "the loader returned null");
    } catch (RuntimeException e) {
      loading = CompletableFuture.failedFuture(e);
    }
    return loading.thenApply(done -> result);
  }

  /**
   * Looks up {@code keys}, computes the misses with {@code compute}, stores what it returns, and
   * returns hits and computed vectors together: {@link #getAllOrLoad} for a computation that hands
   * over all its vectors at once.
   *
   * @param keys the keys wanted
   * @param compute computes vectors for a non-empty set of missing keys; it may leave out keys that
   *     failed, which are then absent from the result and not stored
   * @return a future of every vector found or computed, by key
   */
  default CompletableFuture<Map<CacheKey, float[]>> getAllOrCompute(
      Collection<CacheKey> keys,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    return getAllOrLoad(
        keys,
        (missing, ready) ->
            Objects.requireNonNull(compute.apply(missing), "compute returned null")
                .thenAccept(
                    computed -> {
                      if (computed == null) {
                        throw new NullPointerException(
                            "compute completed with null instead of a map");
                      }
                      ready.accept(computed);
                    }));
  }

  /**
   * Removes one entry.
   *
   * @param key the key
   */
  void invalidate(CacheKey key);

  /**
   * Removes every entry of one namespace (everything vectors of one identity wrote).
   *
   * @param namespace from {@link VectorIdentity#namespace()}
   */
  void invalidateNamespace(String namespace);

  /** Removes every entry. */
  void clear();

  /**
   * What the cache knows about its backend, read without calling it (a health check must not add
   * load to a backend that is struggling).
   *
   * @return this default: no breaker, the backend named by the implementation's class
   */
  default CacheHealth health() {
    return new CacheHealth(CacheHealth.Breaker.NONE, getClass().getSimpleName());
  }

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
