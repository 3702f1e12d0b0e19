package io.batchwise.spi;

import io.batchwise.config.ConfigOption;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates an {@link EmbeddingCache}; found by {@link ServiceLoader} through {@code
 * META-INF/services/io.batchwise.spi.CacheFactory} and chosen by {@link #id()} with the {@code
 * cache} option. Core registers {@code none}.
 *
 * <p>Implementations must be public with a public no-argument constructor.
 */
public interface CacheFactory {

  /**
   * A stable lowercase id, e.g. {@code caffeine}, {@code sqlite}, {@code redis}.
   *
   * @return the id
   */
  String id();

  /**
   * The options this cache reads (e.g. {@code cache.path}).
   *
   * @return the options, possibly empty
   */
  default List<ConfigOption<?>> options() {
    return List.of();
  }

  /**
   * Creates the cache; it records its meters to {@link FactoryContext#meterRegistry()}.
   *
   * @param context configuration and shared services
   * @return the cache, closed by the {@code Batchwise} instance
   */
  EmbeddingCache create(FactoryContext context);
}
