// Lettuce and Bucket4j are automatic modules that name themselves in their manifests
/**
 * The {@code redis} cache (shared by every process that uses one Redis) and the {@code redis}
 * pacer, which holds one rate limit across processes (Lettuce, Bucket4j).
 *
 * <p>Exports only {@link io.batchwise.cache.redis}.
 */
@SuppressWarnings({"requires-automatic"})
module io.batchwise.cache.redis {
  requires transitive io.batchwise.cache;
  requires lettuce.core;
  requires io.github.bucket4j.core;
  requires io.github.bucket4j.lettuce;
  requires org.slf4j;

  exports io.batchwise.cache.redis;

  provides io.batchwise.spi.CacheFactory with
      io.batchwise.cache.redis.RedisCacheFactory;
  provides io.batchwise.spi.CallPacerFactory with
      io.batchwise.cache.redis.RedisPacerFactory;
}
