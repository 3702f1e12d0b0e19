package io.batchwise.cache;

import io.batchwise.cache.internal.Stores;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;

/**
 * The {@code sqlite} cache: one file ({@code cache.path}) that survives restarts and may be shared by several processes; WAL journal, batched transactional writes, owner-only permissions, a schema version, checksummed values.
 *
 * <p>Found by {@link java.util.ServiceLoader}; choose it with {@code cache=sqlite}.
 */
public final class SqliteCacheFactory implements ByteStoreFactory {

  /** For {@link java.util.ServiceLoader}. */
  public SqliteCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "sqlite";
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption> options() {
    return CacheOptions.SQLITE;
  }

  /** {@inheritDoc} */
  @Override
  public ByteStore createStore(FactoryContext context) {
    return Stores.sqlite(context.config(), context.meterRegistry());
  }

  @Override
  public String toString() {
    return "SqliteCacheFactory{id=sqlite}";
  }
}
