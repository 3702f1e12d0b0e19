package io.batchwise.cache.spi;

import java.time.Duration;

/**
 * The argument checks that {@link io.batchwise.cache.ByteStore}'s contract asks of every store, so
 * that each store refuses the same arguments with the same message.
 */
public final class StoreArguments {
  private StoreArguments() {}

  /**
   * Checks a time to live given to {@link io.batchwise.cache.ByteStore#putAll}.
   *
   * @param ttl the time to live, not null
   * @throws IllegalArgumentException when it is zero or negative
   */
  public static void requirePositiveTtl(Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
  }

  /**
   * Checks a prefix given to {@link io.batchwise.cache.ByteStore#deleteByPrefix}.
   *
   * @param prefix the prefix
   * @throws IllegalArgumentException when it is null or empty
   */
  public static void requireKeyPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException(
          "the key prefix must not be empty; use clear() to remove everything");
    }
  }
}
