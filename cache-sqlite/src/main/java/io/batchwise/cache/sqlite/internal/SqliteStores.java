package io.batchwise.cache.sqlite.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.sqlite.SqliteOptions;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Builds the SQLite store from configuration: the one place that reads {@link SqliteOptions}.
 * Public for {@link io.batchwise.cache.sqlite.SqliteCacheFactory}; not an API.
 */
public final class SqliteStores {
  private SqliteStores() {}

  /**
   * A SQLite store, guarded by a circuit breaker ({@code cache.breaker.*}).
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   * @throws ConfigurationException when an option is invalid
   */
  public static ByteStore sqlite(Config config, MeterRegistry registry) {
    SqliteSettings settings = sqliteSettings(config);
    CacheMetrics metrics = new CacheMetrics(registry, "sqlite");
    return GuardedByteStore.guard(
        () -> new SqliteByteStore(settings, System::currentTimeMillis, metrics),
        description(settings),
        config,
        registry);
  }

  /**
   * A SQLite store with an explicit breaker and clocks, for tests.
   *
   * @param settings the file and its timeouts
   * @param threshold consecutive failures that open the breaker
   * @param coolDown how long it stays open
   * @param registry the meter registry
   * @param ticker the breaker's clock
   * @param clock milliseconds since the epoch, for expiry
   * @return the store
   */
  public static GuardedByteStore sqlite(
      SqliteSettings settings,
      int threshold,
      Duration coolDown,
      MeterRegistry registry,
      Ticker ticker,
      LongSupplier clock) {
    CacheMetrics metrics = new CacheMetrics(registry, "sqlite");
    SqliteByteStore store = new SqliteByteStore(settings, clock, metrics);
    return new GuardedByteStore(store, description(settings), threshold, coolDown, ticker, metrics);
  }

  private static String description(SqliteSettings settings) {
    return "SQLite cache " + settings.path().toAbsolutePath();
  }

  /**
   * The settings that the options configure.
   *
   * @param config the configuration
   * @return the settings
   * @throws ConfigurationException naming the option when one is invalid
   */
  public static SqliteSettings sqliteSettings(Config config) {
    return new SqliteSettings(
        Path.of(config.get(SqliteOptions.PATH)),
        config.get(SqliteOptions.BUSY_TIMEOUT),
        config.find(CacheOptions.TTL).orElse(null));
  }
}
