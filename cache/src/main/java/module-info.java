/**
 * Caches: {@code caffeine} (memory) and {@code tiered}, the byte-store SPI that {@code
 * io.batchwise.cache.sqlite} and {@code io.batchwise.cache.redis} implement, and memoization of any
 * function.
 *
 * <p>Exports {@link io.batchwise.cache} (API) and {@link io.batchwise.cache.spi} (for byte-store
 * implementations); {@code io.batchwise.cache.internal} stays inside.
 */
module io.batchwise.cache {
  requires transitive io.batchwise.core;
  // Memoizer and the circuit breaker take Caffeine's Ticker
  requires transitive com.github.benmanes.caffeine;
  requires org.slf4j;

  exports io.batchwise.cache;
  exports io.batchwise.cache.spi;

  provides io.batchwise.spi.CacheFactory with
      io.batchwise.cache.CaffeineCacheFactory,
      io.batchwise.cache.TieredCacheFactory;
}
