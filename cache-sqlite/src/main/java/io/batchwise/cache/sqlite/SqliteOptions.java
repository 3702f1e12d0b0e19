package io.batchwise.cache.sqlite;

import io.batchwise.cache.CacheOptions;
import io.batchwise.config.ConfigOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options this module declares. The {@code sqlite} cache also reads the options every store
 * behind the guard shares ({@link CacheOptions#STORE}: {@code cache.ttl}, {@code cache.float16},
 * {@code cache.breaker.*}).
 */
public final class SqliteOptions {
  private SqliteOptions() {}

  /** The database file, created owner-read/write only. */
  public static final ConfigOption<String> PATH =
      ConfigOption.text(
              "cache.path",
              null,
              "SQLite cache file; default ~/.cache/batchwise/cache.db. Created readable by its owner"
                  + " only.")
          .withDerivedDefault(SqliteOptions::defaultPath);

  /** How long to wait for another connection's or process's write lock. */
  public static final ConfigOption<Duration> BUSY_TIMEOUT =
      ConfigOption.duration(
              "cache.sqlite.busy-timeout",
              Duration.ZERO,
              Duration.ofMillis(Integer.MAX_VALUE),
              "How long a SQLite write waits for another process holding the lock.")
          .withDefault(Duration.ofSeconds(5));

  /**
   * Every option this module declares, once each.
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return List.of(PATH, BUSY_TIMEOUT);
  }

  /** The options of the {@code sqlite} cache: this module's and the shared store options. */
  static List<ConfigOption<?>> cache() {
    List<ConfigOption<?>> options = new ArrayList<>(all());
    options.addAll(CacheOptions.STORE);
    return List.copyOf(options);
  }

  /** {@code $XDG_CACHE_HOME/batchwise/cache.db}, else under {@code ~/.cache}. */
  private static String defaultPath() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("batchwise").resolve("cache.db").toString();
  }
}
