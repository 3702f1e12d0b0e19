package io.batchwise.cache.sqlite.internal;

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
    if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "option 'cache.sqlite.busy-timeout' must be in [0, " + Integer.MAX_VALUE + "ms], was "
              + busyTimeout);
    }
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new IllegalArgumentException("option 'cache.ttl' must be positive, was " + ttl);
    }
  }

  /**
   * A file with a 5-second busy timeout and no expiry.
   *
   * @param path the file
   * @return the settings
   */
  public static SqliteSettings of(Path path) {
    return new SqliteSettings(path, Duration.ofSeconds(5), null);
  }
}
