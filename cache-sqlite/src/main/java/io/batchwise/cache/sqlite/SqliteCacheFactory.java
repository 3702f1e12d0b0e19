package io.batchwise.cache.sqlite;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ByteStoreFactory;
import io.batchwise.cache.sqlite.internal.SqliteStores;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.FactoryContext;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code sqlite} cache: one file ({@code cache.path}) that survives restarts and may be shared
 * by several processes; WAL journal, batched transactional writes, owner-only permissions, a schema
 * version, checksummed values.
 *
 * <p>Found by {@link ServiceLoader}; choose it with {@code cache=sqlite}, or put Caffeine in front
 * of it with {@code cache=tiered} (whose {@code cache.back} defaults to {@code sqlite}).
 */
public final class SqliteCacheFactory implements ByteStoreFactory {

  /** For {@link ServiceLoader}. */
  public SqliteCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "sqlite";
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption<?>> options() {
    return SqliteOptions.cache();
  }

  /** {@inheritDoc} */
  @Override
  public ByteStore createStore(FactoryContext context) {
    return SqliteStores.sqlite(context.config(), context.meterRegistry());
  }

  @Override
  public String toString() {
    return "SqliteCacheFactory{id=sqlite}";
  }
}
