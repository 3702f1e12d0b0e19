/**
 * Embedding caches and memoization for Batchwise.
 *
 * <h2>Backends</h2>
 *
 * {@link io.batchwise.spi.CacheFactory Cache factories} are chosen by id with the {@code cache}
 * option. This module has {@link io.batchwise.cache.CaffeineCacheFactory caffeine} (memory) and
 * {@link io.batchwise.cache.TieredCacheFactory tiered} (Caffeine before the store that {@code
 * cache.back} names); {@code sqlite} (a file that survives restarts and can be shared by processes)
 * is in {@code batchwise-cache-sqlite}, and {@code redis} (shared by machines) in {@code
 * batchwise-cache-redis}, so that an application carries only the drivers it uses. Their options
 * are listed in {@link io.batchwise.cache.CacheOptions} and in those modules.
 *
 * <h2>Two views of one byte store</h2>
 *
 * Every backend is a {@link io.batchwise.cache.ByteStore}: bytes by string key. The embedding cache
 * ({@link io.batchwise.cache.EmbeddingCaches}, keys {@code emb:<namespace>:<text hash>}) and the
 * {@link io.batchwise.cache.Memoizer} (keys {@code memo:<function>:<arguments hash>}) are typed
 * views of it through a {@link io.batchwise.cache.ValueCodec}; each value carries a format version
 * and a CRC-32C, so a corrupt value is a logged, counted miss that the next store overwrites. A
 * backend implements {@link io.batchwise.cache.ByteStoreFactory} and serves both views; {@code
 * io.batchwise.cache.spi} has what it builds on.
 *
 * <h2>Failure</h2>
 *
 * A SQLite or Redis backend that fails or is slow never fails the work using it: lookups become
 * misses and stores are dropped, counted in {@code batchwise.cache.errors}; a circuit breaker
 * ({@code cache.breaker.*}) stops calling it for a cool-down and logs one line per transition.
 * Explicit invalidation throws {@link io.batchwise.cache.CacheUnavailableException} instead, since
 * silently skipping it would leave stale entries.
 *
 * <h2>Single-flight</h2>
 *
 * {@link io.batchwise.cache.LoadingEmbeddingCache#getAllOrLoad} (and {@code getAllOrCompute} built
 * on it) and memoized functions compute a missing key once for all concurrent callers in the JVM;
 * an embedding is stored, and handed to the callers waiting for it, as soon as the loader hands it
 * over.
 */
package io.batchwise.cache;
