package io.batchwise.map;

import io.batchwise.config.ConfigOption;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates the {@link Mapper} behind {@code Batchwise.mapper()}; found by {@link ServiceLoader}
 * through {@code META-INF/services/io.batchwise.map.MapperFactory} and chosen by {@link #id()} with
 * the {@code mapper} option ({@code openai} by default, in {@code batchwise-providers-openai}).
 * Core holds only the interface, so that it depends on no language-model client, as it depends on
 * no embedding model.
 *
 * <p>Implementations must be public with a public no-argument constructor, and cheap to construct.
 */
public interface MapperFactory {

  /**
   * A stable lowercase id, e.g. {@code openai}.
   *
   * @return the id
   */
  String id();

  /**
   * The options the mapper reads. An option it shares with a provider of the same service (a key, a
   * base URL) is declared by both, and applies when either is selected.
   *
   * @return the options, possibly empty
   */
  default List<ConfigOption<?>> options() {
    return List.of();
  }

  /**
   * Creates the mapper. Called once per {@code Batchwise} instance, on the first {@code
   * Batchwise.mapper()}.
   *
   * @param context the configuration, meter registry, tokenizers, CPU pool, and the instance's
   *     scheduler, cache and limits
   * @return a ready mapper, closed by the {@code Batchwise} instance that asked for it
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  Mapper create(MapperContext context);
}
