package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Builds the stores and views of this module from configuration: the one place that reads {@link
 * CacheOptions} and decides how the parts are put together. Public for the factories in {@code
 * io.batchwise.cache}; not an API.
 */
public final class Stores {

  private Stores() {}

  /**
   * An in-memory Caffeine store.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   */
  public static ByteStore caffeine(Config config, MeterRegistry registry) {
    return caffeine("caffeine", caffeineSettings(config), registry, Ticker.systemTicker());
  }

  static CaffeineByteStore caffeine(
      String id, CaffeineSettings settings, MeterRegistry registry, Ticker ticker) {
    return new CaffeineByteStore(id, settings, new CacheMetrics(registry, id), registry, ticker);
  }

  /**
   * A Caffeine front, configured by the {@code cache.*} in-memory options, before {@code back}.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @param back opens the back store (once the front's options are checked, so that a bad one
   *     leaves no back open); the result owns it and guards it unless it already is
   * @return the store
   */
  public static ByteStore tiered(Config config, MeterRegistry registry, Supplier<ByteStore> back) {
    CaffeineSettings front = caffeineSettings(config);
    ByteStore backStore = guardIfForeign(back.get(), registry);
    return tiered(caffeine("tiered", front, registry, Ticker.systemTicker()), backStore);
  }

  static TieredByteStore tiered(CaffeineByteStore front, ByteStore back) {
    return new TieredByteStore(front, back);
  }

  /**
   * The embedding view of a store.
   *
   * @param store the store, owned by the view
   * @param float16 whether vectors are written as float16
   * @param registry the meter registry
   * @return the cache
   */
  public static LoadingEmbeddingCache embeddingCache(
      ByteStore store, boolean float16, MeterRegistry registry) {
    ByteStore guarded = guardIfForeign(store, registry);
    return new ByteStoreEmbeddingCache(
        guarded, ValueCodec.floatVectors(float16), new CacheMetrics(registry, guarded.id()));
  }

  /**
   * The store key of an embedding.
   *
   * @param key the cache key
   * @return {@code emb:<namespace>:<text hash>}
   */
  public static String embeddingKey(CacheKey key) {
    return ByteStoreEmbeddingCache.storeKey(key);
  }

  /**
   * Guards a store that is not guarded yet, with the default breaker (3 failures, 30 s), so that a
   * third-party backend's outage also costs misses rather than failures.
   *
   * @param store the store
   * @param registry where its errors are counted
   * @return the store when it is in memory or already guarded, else a guarded wrapper
   */
  static ByteStore guardIfForeign(ByteStore store, MeterRegistry registry) {
    if (store instanceof CaffeineByteStore
        || store instanceof GuardedByteStore
        || store instanceof TieredByteStore) {
      return store;
    }
    return GuardedByteStore.guard(store, "the " + store.id() + " cache", registry);
  }

  /**
   * Whether vectors are written as float16, per {@code cache.float16}.
   *
   * @param config the configuration
   * @return the setting
   */
  public static boolean float16(Config config) {
    return config.get(CacheOptions.FLOAT16);
  }

  static CaffeineSettings caffeineSettings(Config config) {
    long entries = config.find(CacheOptions.MAX_ENTRIES).orElse(0L);
    Optional<Long> maxBytes = config.find(CacheOptions.MAX_BYTES);
    if (entries > 0 && maxBytes.isPresent()) {
      throw new ConfigurationException(
          "options 'cache.max-entries' and 'cache.max-bytes' cannot be combined: bound the"
              + " in-memory cache by entries or by bytes");
    }
    long bytes = maxBytes.orElse(entries > 0 ? 0 : CaffeineSettings.DEFAULT_MAX_BYTES);
    return new CaffeineSettings(
        entries,
        bytes,
        config.find(CacheOptions.EXPIRE_AFTER_WRITE).orElse(null),
        config.find(CacheOptions.EXPIRE_AFTER_ACCESS).orElse(null));
  }

  static CompletionException asCompletionException(Throwable t) {
    return t instanceof CompletionException ? (CompletionException) t : new CompletionException(t);
  }
}
