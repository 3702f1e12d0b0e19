package io.batchwise.cache.internal;

import io.batchwise.cache.CacheOptions;
import java.time.Duration;

/**
 * The bounds of an in-memory store. Exactly one of {@code maxEntries} and {@code maxBytes} is
 * positive; the expiries are null when unset.
 *
 * @param maxEntries the most entries, or 0 when bounded by bytes
 * @param maxBytes the most bytes (keys and values, estimated), or 0 when bounded by entries
 * @param expireAfterWrite lifetime after a write, or null
 * @param expireAfterAccess lifetime after the last read or write, or null
 */
public record CaffeineSettings(
    long maxEntries, long maxBytes, Duration expireAfterWrite, Duration expireAfterAccess) {

  /** The bound when none is configured. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException naming the option when both or neither bound is set, or a
   *     duration is not positive
   */
  public CaffeineSettings {
    if ((maxEntries > 0) == (maxBytes > 0)) {
      throw new IllegalArgumentException(
          "exactly one of cache.max-entries ("
              + maxEntries
              + ") and cache.max-bytes ("
              + maxBytes
              + ") must be set: an in-memory cache is bounded by entries or by bytes, not both");
    }
    if (expireAfterWrite != null) {
      CacheOptions.EXPIRE_AFTER_WRITE.check(expireAfterWrite);
    }
    if (expireAfterAccess != null) {
      CacheOptions.EXPIRE_AFTER_ACCESS.check(expireAfterAccess);
    }
  }

  /**
   * Bounded by entries, no expiry.
   *
   * @param maxEntries the most entries
   * @return the settings
   */
  public static CaffeineSettings ofEntries(long maxEntries) {
    return new CaffeineSettings(maxEntries, 0, null, null);
  }
}
