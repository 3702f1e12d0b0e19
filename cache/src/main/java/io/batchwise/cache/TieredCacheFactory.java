package io.batchwise.cache;

import io.batchwise.cache.internal.Stores;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.FactoryContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code tiered} cache: Caffeine in memory in front of the store that {@code cache.back} names
 * ({@code sqlite} from {@code batchwise-cache-sqlite}, {@code redis} from {@code
 * batchwise-cache-redis}, or any other {@link ByteStoreFactory} on the classpath); a back hit fills
 * the front.
 *
 * <p>The back is found by id among the cache factories on the classpath, as the {@code cache}
 * option finds a cache: a back whose module is missing fails when the cache is created, naming the
 * artifact to add. Its options are this cache's options too, so {@code cache.path} configures a
 * tiered cache over SQLite.
 *
 * <p>Found by {@link ServiceLoader}; choose it with {@code cache=tiered}.
 */
public final class TieredCacheFactory implements ByteStoreFactory {

  /** For {@link ServiceLoader}. */
  public TieredCacheFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return "tiered";
  }

  /**
   * Its own options, the front's, and those of every store on the classpath that can be the back.
   *
   * @return the options, each key once
   */
  @Override
  public List<ConfigOption<?>> options() {
    Map<String, ConfigOption<?>> options = new LinkedHashMap<>();
    CacheOptions.TIERED.forEach(o -> options.put(o.key(), o));
    for (ByteStoreFactory back : ByteStores.factories()) {
      if (canBeBack(back.id())) {
        back.options().forEach(o -> options.putIfAbsent(o.key(), o));
      }
    }
    return List.copyOf(options.values());
  }

  /** Neither the front's own kind nor this cache itself: a back must hold what memory does not. */
  private boolean canBeBack(String backId) {
    return !backId.equals(id()) && !backId.equals("caffeine");
  }

  /**
   * {@inheritDoc}
   *
   * @throws ConfigurationException when {@code cache.back} names no store on the classpath (naming
   *     the artifact to add for {@code sqlite} and {@code redis}), or one that cannot be a back
   */
  @Override
  public ByteStore createStore(FactoryContext context) {
    String back = context.config().get(CacheOptions.BACK).toLowerCase(Locale.ROOT);
    if (!canBeBack(back)) {
      throw new ConfigurationException(
          "option 'cache.back' must name the store behind the"
              + " in-memory front, such as sqlite or redis, was '"
              + back
              + "'");
    }
    ByteStoreFactory factory;
    try {
      factory = ByteStores.factory(back);
    } catch (IllegalStateException e) {
      throw new ConfigurationException("option 'cache.back' is '" + back + "': " + e.getMessage());
    }
    return Stores.tiered(
        context.config(), context.meterRegistry(), () -> factory.createStore(context));
  }

  @Override
  public String toString() {
    return "TieredCacheFactory{id=tiered}";
  }
}
