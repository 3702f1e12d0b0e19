/**
 * What a {@link io.batchwise.cache.ByteStore} backend builds on, for modules such as {@code
 * batchwise-cache-sqlite} and {@code batchwise-cache-redis} and for third-party stores: the {@link
 * io.batchwise.cache.spi.GuardedByteStore guard} that turns a backend's outage into misses (with
 * its {@link io.batchwise.cache.spi.CircuitBreaker}), the {@link
 * io.batchwise.cache.spi.CacheMetrics meters} of a cache, the {@link
 * io.batchwise.cache.spi.StoreException} a store throws, and the argument checks every store makes
 * ({@link io.batchwise.cache.spi.StoreArguments}). A store reads its options, and those it shares
 * with others ({@link io.batchwise.cache.CacheOptions#STORE}), with {@code config.get(OPTION)}.
 *
 * <p>A backend module registers a {@link io.batchwise.cache.ByteStoreFactory} under {@code
 * META-INF/services/io.batchwise.spi.CacheFactory}; the {@code tiered} cache finds its back ({@code
 * cache.back}) among those factories by id.
 */
package io.batchwise.cache.spi;
