package io.batchwise.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Objects;

/**
 * Reports a Caffeine cache's statistics (gets by hit and miss, puts, evictions, size) through
 * Micrometer's {@link CaffeineCacheMetrics}, tagged {@code cache=<name>} like Batchwise's own cache
 * meters. The cache is observed from outside and held weakly. Without {@code recordStats()} only
 * its size is reported (Micrometer logs a warning naming the cache).
 *
 * <pre>{@code
 * Cache<String, float[]> cache = Caffeine.newBuilder().maximumSize(10_000).recordStats().build();
 * CaffeineBinder.bind(registry, cache, "vectors");
 * }</pre>
 */
public final class CaffeineBinder {
  private CaffeineBinder() {}

  /**
   * Binds a cache's statistics to a registry.
   *
   * @param registry the registry
   * @param cache the cache, built with {@code recordStats()}
   * @param name the cache's name, the {@code cache} tag
   * @param <K> the key type
   * @param <V> the value type
   * @return the cache
   */
  public static <K, V> Cache<K, V> bind(MeterRegistry registry, Cache<K, V> cache, String name) {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(name, "name");
    return CaffeineCacheMetrics.monitor(registry, cache, name);
  }
}
