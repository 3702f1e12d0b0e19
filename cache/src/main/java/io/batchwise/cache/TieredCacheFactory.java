package io.batchwise.cache;

import io.batchwise.cache.internal.Stores;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;

/**
 * The {@code tiered} cache: Caffeine in memory in front of {@code sqlite} or {@code redis} ({@code cache.back}); a back hit fills the front.
 *
 * <p>Found by {@link java.util.ServiceLoader}; choose it with {@code cache=tiered}.
 */
public final class TieredCacheFactory implements ByteStoreFactory {

  /** For {@link java.util.ServiceLoader}. */
  public TieredCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "tiered";
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption> options() {
    return CacheOptions.TIERED;
  }

  /** {@inheritDoc} */
  @Override
  public ByteStore createStore(FactoryContext context) {
    return Stores.tiered(context.config(), context.meterRegistry());
  }

  @Override
  public String toString() {
    return "TieredCacheFactory{id=tiered}";
  }
}
