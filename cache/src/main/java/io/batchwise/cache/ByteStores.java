package io.batchwise.cache;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.internal.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Opens a {@link ByteStore} by id without a {@code Batchwise} instance: for a standalone
 * {@link Memoizer}, tools and benchmarks.
 *
 * <pre>{@code
 * try (ByteStore store = ByteStores.open("redis", Map.of("cache.uri", "redis://cache:6379"), registry)) {
 *   Memoizer memoizer = Memoizer.builder().store(store).meterRegistry(registry).build();
 * }
 * }</pre>
 */
public final class ByteStores {
  private ByteStores() {}

  /**
   * Opens the store of the {@link ByteStoreFactory} with {@code id} found on the classpath.
   *
   * @param id {@code caffeine}, {@code sqlite}, {@code redis}, {@code tiered} or a third party's id
   * @param options option values by key (e.g. {@code cache.path}); system properties and environment
   *     variables fill in the rest, as everywhere in Batchwise
   * @param registry where the store records its meters
   * @return the store, owned by the caller
   * @throws IllegalStateException when no factory, or one that is not a {@link ByteStoreFactory},
   *     has the id
   * @throws io.batchwise.config.ConfigurationException when an option is unknown or invalid
   */
  public static ByteStore open(String id, Map<String, String> options, MeterRegistry registry) {
    CacheFactory factory = FactoryRegistry.of(CacheFactory.class).find(id);
    if (!(factory instanceof ByteStoreFactory)) {
      throw new IllegalStateException(
          "the cache '" + id + "' (" + factory.getClass().getName()
              + ") is not built on a ByteStore, so it cannot be opened as one");
    }
    Map<String, ConfigOption> known = new HashMap<>();
    for (ConfigOption o : factory.options()) {
      known.put(o.key(), o);
    }
    Config config = Config.of(options, known);
    for (String key : options.keySet()) {
      config.get(key); // an unknown key fails here, naming the known ones
    }
    FactoryContext context = FactoryContext.of(config, registry,
        new TokenizerRegistry(java.util.List.of(), 0, ForkJoinPool.commonPool(), registry),
        ForkJoinPool.commonPool());
    return ((ByteStoreFactory) factory).createStore(context);
  }
}
