package io.batchwise.cache;

import io.batchwise.cache.internal.Stores;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code caffeine} cache: in memory, bounded by {@code cache.max-entries} or {@code
 * cache.max-bytes} (default 256 MiB), with optional {@code cache.expire-after-write} and {@code
 * cache.expire-after-access}; Caffeine's statistics are bound to the meter registry.
 *
 * <p>Found by {@link ServiceLoader}; choose it with {@code cache=caffeine}.
 */
public final class CaffeineCacheFactory implements ByteStoreFactory {

  /** For {@link ServiceLoader}. */
  public CaffeineCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "caffeine";
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption<?>> options() {
    return CacheOptions.CAFFEINE;
  }

  /** {@inheritDoc} */
  @Override
  public ByteStore createStore(FactoryContext context) {
    return Stores.caffeine(context.config(), context.meterRegistry());
  }

  @Override
  public String toString() {
    return "CaffeineCacheFactory{id=caffeine}";
  }
}
