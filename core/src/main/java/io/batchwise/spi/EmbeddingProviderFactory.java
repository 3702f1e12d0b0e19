package io.batchwise.spi;

import io.batchwise.config.ConfigOption;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Creates an {@link EmbeddingProvider}; found by {@link ServiceLoader} through {@code
 * META-INF/services/io.batchwise.spi.EmbeddingProviderFactory} and chosen by {@link #id()}.
 *
 * <p>Implementations must be public with a public no-argument constructor, and cheap to construct:
 * expensive work belongs in {@link #create(FactoryContext)}.
 */
public interface EmbeddingProviderFactory {

  /**
   * A stable lowercase id, e.g. {@code local} or {@code openai}.
   *
   * @return the id
   */
  String id();

  /**
   * The options this provider reads, namespaced by its id (e.g. {@code openai.base-url}). Setting
   * an option no factory declares fails at build time.
   *
   * @return the options, possibly empty
   */
  default List<ConfigOption<?>> options() {
    return List.of();
  }

  /**
   * The model names this provider knows by name, for listings; the first is the default.
   *
   * @return the model names, possibly empty
   */
  default List<String> models() {
    return List.of();
  }

  /**
   * Creates the provider. Called once per {@code Batchwise} instance.
   *
   * @param context the configuration, meter registry, tokenizers and CPU pool
   * @return a ready provider, closed by the {@code Batchwise} instance that asked for it
   * @throws io.batchwise.config.ConfigurationException when an option is missing or invalid
   */
  EmbeddingProvider create(FactoryContext context);
}
