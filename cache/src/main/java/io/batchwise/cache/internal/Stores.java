package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.cache.spi.StoreOptions;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.batchwise.spi.CacheKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the stores and views of this module from configuration: the one place that reads
 * {@link CacheOptions} and decides how the parts are put together. Public for the factories in
 * {@code io.batchwise.cache}; not an API.
 */
public final class Stores {
  private static final Pattern SIZE = Pattern.compile("(\\d[\\d_]*)\\s*(b|kb|k|mb|m|gb|g)?");

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
   * @param back opens the back store (once the front's options are checked, so that a bad one leaves
   *     no back open); the result owns it and guards it unless it already is
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
    if (store instanceof CaffeineByteStore || store instanceof GuardedByteStore
        || store instanceof TieredByteStore) {
      return store;
    }
    return GuardedByteStore.guard(store, "the " + store.id() + " cache", registry);
  }

  /**
   * Whether vectors are written as float16, per {@code cache.float16}.
   *
   * @param config the configuration
   * @return the setting, false when the option is unknown to {@code config}
   */
  public static boolean float16(Config config) {
    return StoreOptions.flag(config, CacheOptions.FLOAT16);
  }

  static CaffeineSettings caffeineSettings(Config config) {
    long entries = StoreOptions.declared(config, CacheOptions.MAX_ENTRIES)
        ? config.getLong(CacheOptions.MAX_ENTRIES.key(), 0, 1, Long.MAX_VALUE) : 0;
    Optional<String> bytesText = StoreOptions.get(config, CacheOptions.MAX_BYTES);
    if (entries > 0 && bytesText.isPresent()) {
      throw new ConfigurationException(
          "options 'cache.max-entries' and 'cache.max-bytes' cannot be combined: bound the"
              + " in-memory cache by entries or by bytes");
    }
    long bytes = bytesText.map(t -> parseSize(CacheOptions.MAX_BYTES.key(), t))
        .orElse(entries > 0 ? 0 : CaffeineSettings.DEFAULT_MAX_BYTES);
    return new CaffeineSettings(entries, bytes,
        StoreOptions.duration(config, CacheOptions.EXPIRE_AFTER_WRITE),
        StoreOptions.duration(config, CacheOptions.EXPIRE_AFTER_ACCESS));
  }

  /**
   * Parses a size such as {@code 256mb}, {@code 1g} or {@code 1048576} (units are powers of 1024).
   *
   * @param option the option, for the error message
   * @param text the value
   * @return the size in bytes
   * @throws ConfigurationException naming the option and the value
   */
  static long parseSize(String option, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ConfigurationException(
          "option '" + option + "' must be a size such as 256mb, 1g or 1048576, was '" + text + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1).replace("_", ""));
    } catch (NumberFormatException e) {
      throw new ConfigurationException("option '" + option + "' is too large: '" + text + "'");
    }
    String unit = m.group(2) == null ? "b" : m.group(2);
    int shift = unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : unit.startsWith("g") ? 30 : 0;
    if (n <= 0 || Long.numberOfLeadingZeros(n) <= shift) {
      throw new ConfigurationException(
          "option '" + option + "' must be between 1 byte and 8 EiB, was '" + text + "'");
    }
    return n << shift;
  }

  static CompletionException asCompletionException(Throwable t) {
    return t instanceof CompletionException ? (CompletionException) t : new CompletionException(t);
  }
}
