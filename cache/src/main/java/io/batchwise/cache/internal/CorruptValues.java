package io.batchwise.cache.internal;

import io.batchwise.cache.CorruptValueException;
import io.batchwise.cache.spi.CacheMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the corrupt values of one bulk lookup and reports them once: one warning naming the
 * count, the first key and why, and the {@code corrupt} error counter.
 */
final class CorruptValues {
  private static final Logger LOG = LoggerFactory.getLogger(CorruptValues.class);

  private final String cache;
  private int count;
  private String firstKey;
  private CorruptValueException first;

  CorruptValues(String cache) {
    this.cache = cache;
  }

  void add(String key, CorruptValueException e) {
    if (count++ == 0) {
      firstKey = key;
      first = e;
    }
  }

  void report(CacheMetrics metrics) {
    if (count == 0) {
      return;
    }
    metrics.corrupt(count);
    LOG.warn(
        "{} corrupt value(s) in the {} cache treated as misses; each is overwritten when it is"
            + " stored again. First: key {}: {}",
        count,
        cache,
        firstKey,
        first.getMessage());
  }
}
