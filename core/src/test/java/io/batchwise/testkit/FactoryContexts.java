package io.batchwise.testkit;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.config.CoreOptions;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;

/**
 * {@link FactoryContext}s for a factory's tests: the options you give over core's and the factory's
 * declared ones, and nothing from the system properties or the environment, so that a test sees the
 * same configuration on every machine. Each context has its own in-memory meter registry and
 * tokenizer registry, and runs CPU work on the common pool.
 *
 * <pre>{@code
 * class MyProviderContractTest extends EmbeddingProviderContract {
 *   protected EmbeddingProvider createProvider() {
 *     MyProviderFactory factory = new MyProviderFactory();
 *     return factory.create(FactoryContexts.of(factory, Map.of("myprovider.dimensions", "64")));
 *   }
 * }
 * }</pre>
 */
public final class FactoryContexts {
  private FactoryContexts() {}

  /**
   * A context for a provider factory: core's options and the factory's.
   *
   * @param factory the factory whose {@link EmbeddingProviderFactory#options()} may be set
   * @param options values by key; every other option has its default
   * @return the context
   * @throws ConfigurationException when a key is declared by neither core nor the factory
   */
  public static FactoryContext of(EmbeddingProviderFactory factory, Map<String, String> options) {
    return of(factory.options(), options);
  }

  /**
   * A context for any factory (a provider's, a cache's, a scheduler's): core's options and the
   * given ones.
   *
   * @param declared the options the factory declares
   * @param options values by key; every other option has its default
   * @return the context
   * @throws ConfigurationException when a key is declared by neither core nor {@code declared}
   */
  public static FactoryContext of(
      List<? extends ConfigOption<?>> declared, Map<String, String> options) {
    Map<String, ConfigOption<?>> known = new TreeMap<>();
    CoreOptions.all().forEach(o -> known.put(o.key(), o));
    declared.forEach(o -> known.put(o.key(), o));
    for (String key : options.keySet()) {
      if (!known.containsKey(key)) {
        throw ConfigurationException.unknownOption(key, known.keySet(), null);
      }
    }
    Config config = Config.of(options, known, name -> null, name -> null);
    return FactoryContext.of(
        config,
        new SimpleMeterRegistry(),
        TokenizerRegistry.standalone(),
        ForkJoinPool.commonPool());
  }
}
