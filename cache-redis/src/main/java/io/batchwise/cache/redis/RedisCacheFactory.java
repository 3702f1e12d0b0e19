package io.batchwise.cache.redis;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ByteStoreFactory;
import io.batchwise.cache.redis.internal.RedisStores;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code redis} cache (Lettuce): shared by every machine using the same server ({@code
 * cache.uri}) and key prefix; pipelined {@code MGET}/{@code SET PX}, optional TTL, password and
 * TLS, a command timeout and a circuit breaker, so a slow or absent Redis costs misses, never
 * failures.
 *
 * <p>Found by {@link ServiceLoader}; choose it with {@code cache=redis}, or put Caffeine in front
 * of it with {@code cache=tiered} and {@code cache.back=redis}.
 */
public final class RedisCacheFactory implements ByteStoreFactory {

  /** For {@link ServiceLoader}. */
  public RedisCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "redis";
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption<?>> options() {
    return RedisOptions.cache();
  }

  /** {@inheritDoc} */
  @Override
  public ByteStore createStore(FactoryContext context) {
    return RedisStores.redis(context.config(), context.meterRegistry());
  }

  @Override
  public String toString() {
    return "RedisCacheFactory{id=redis}";
  }
}
