package io.batchwise.cache.sqlite.internal;

import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the SQLite store keeps its file.
 *
 * @param path the database file
 * @param busyTimeout how long a write waits for another connection's lock
 * @param ttl how long entries live when a put names no ttl, or null for ever
 */
public record SqliteSettings(Path path, Duration busyTimeout, Duration ttl) {

  /** Checks the values. */
  public SqliteSettings {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    SqliteOptions.BUSY_TIMEOUT.check(busyTimeout);
    if (ttl != null) {
      CacheOptions.TTL.check(ttl);
    }
  }

  /**
   * A file with a 5-second busy timeout and no expiry.
   *
   * @param path the file
   * @return the settings
   */
  public static SqliteSettings of(Path path) {
    return new SqliteSettings(path, SqliteOptions.BUSY_TIMEOUT.defaultValue().orElseThrow(), null);
  }
}
