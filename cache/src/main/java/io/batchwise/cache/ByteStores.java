package io.batchwise.cache;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

/**
 * Opens a {@link ByteStore} by id without a {@code Batchwise} instance: for a standalone {@link
 * Memoizer}, tools and benchmarks.
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
   * @param id {@code caffeine}, {@code tiered}, with their modules {@code sqlite} and {@code
   *     redis}, or a third party's id
   * @param options option values by key (e.g. {@code cache.path}); system properties and
   *     environment variables fill in the rest, as everywhere in Batchwise
   * @param registry where the store records its meters
   * @return the store, owned by the caller
   * @throws IllegalStateException when no factory, or one that is not a {@link ByteStoreFactory},
   *     has the id; for {@code sqlite} and {@code redis} the message names the artifact to add
   * @throws io.batchwise.config.ConfigurationException when an option is unknown or invalid
   */
  public static ByteStore open(String id, Map<String, String> options, MeterRegistry registry) {
    ByteStoreFactory factory = factory(id);
    Map<String, ConfigOption<?>> known = new HashMap<>();
    for (ConfigOption<?> o : factory.options()) {
      known.put(o.key(), o);
    }
    Config config = Config.of(options, known);
    for (String key : options.keySet()) {
      config.requireKnown(key);
    }
    FactoryContext context =
        FactoryContext.of(
            config,
            registry,
            new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
            ForkJoinPool.commonPool());
    return factory.createStore(context);
  }

  /**
   * The one {@link ByteStoreFactory} on the classpath with {@code id}.
   *
   * @throws IllegalStateException when none has the id (naming the artifact that provides a known
   *     one), two have it, or the cache with the id is not built on a {@link ByteStore}
   */
  static ByteStoreFactory factory(String id) {
    CacheFactory factory = FactoryRegistry.of(CacheFactory.class).find(id);
    if (!(factory instanceof ByteStoreFactory)) {
      throw new IllegalStateException(
          "the cache '"
              + id
              + "' ("
              + factory.getClass().getName()
              + ") is not built on a ByteStore, so it cannot be opened as one");
    }
    return (ByteStoreFactory) factory;
  }

  /** Every {@link ByteStoreFactory} on the classpath, in discovery order. */
  static List<ByteStoreFactory> factories() {
    List<ByteStoreFactory> stores = new ArrayList<>();
    for (CacheFactory f : FactoryRegistry.of(CacheFactory.class).all()) {
      if (f instanceof ByteStoreFactory) {
        stores.add((ByteStoreFactory) f);
      }
    }
    return stores;
  }
}
