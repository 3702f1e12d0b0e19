package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.ValueCodec;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
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
   * A SQLite store, guarded by a circuit breaker.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   */
  public static ByteStore sqlite(Config config, MeterRegistry registry) {
    return sqlite(sqliteSettings(config), breakerThreshold(config), breakerCoolDown(config),
        registry, Ticker.systemTicker(), System::currentTimeMillis);
  }

  static GuardedByteStore sqlite(SqliteSettings settings, int threshold, Duration coolDown,
      MeterRegistry registry, Ticker ticker, java.util.function.LongSupplier clock) {
    CacheMetrics metrics = new CacheMetrics(registry, "sqlite");
    SqliteByteStore store = new SqliteByteStore(settings, clock, metrics);
    return new GuardedByteStore(store, "SQLite cache " + store.path(), threshold, coolDown, ticker,
        metrics);
  }

  /**
   * A Redis store, guarded by a circuit breaker. Connects on first use.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   */
  public static ByteStore redis(Config config, MeterRegistry registry) {
    return redis(redisSettings(config), breakerThreshold(config), breakerCoolDown(config), registry,
        Ticker.systemTicker());
  }

  static GuardedByteStore redis(RedisSettings settings, int threshold, Duration coolDown,
      MeterRegistry registry, Ticker ticker) {
    CacheMetrics metrics = new CacheMetrics(registry, "redis");
    return new GuardedByteStore(new RedisByteStore(settings), "Redis cache at "
        + settings.describe(), threshold, coolDown, ticker, metrics);
  }

  /**
   * A Caffeine front before a SQLite or Redis back, per {@code cache.back}.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   */
  public static ByteStore tiered(Config config, MeterRegistry registry) {
    String back = get(config, CacheOptions.BACK).orElse("sqlite").toLowerCase(Locale.ROOT);
    CaffeineSettings frontSettings = caffeineSettings(config);
    ByteStore backStore;
    switch (back) {
      case "sqlite":
        backStore = sqlite(config, registry);
        break;
      case "redis":
        backStore = redis(config, registry);
        break;
      default:
        throw new ConfigurationException(
            "option 'cache.back' must be sqlite or redis, was '" + back + "'");
    }
    return tiered(caffeine("tiered", frontSettings, registry, Ticker.systemTicker()), backStore);
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
   * Guards a store that is not one of this module's, with the default breaker (3 failures, 30 s),
   * so that a third-party backend's outage also costs misses rather than failures.
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
    return new GuardedByteStore(store, "the " + store.id() + " cache", 3, Duration.ofSeconds(30),
        Ticker.systemTicker(), new CacheMetrics(registry, store.id()));
  }

  /**
   * Whether vectors are written as float16, per {@code cache.float16}.
   *
   * @param config the configuration
   * @return the setting, false when the option is unknown to {@code config}
   */
  public static boolean float16(Config config) {
    return known(config, CacheOptions.FLOAT16) && config.getBoolean(CacheOptions.FLOAT16.key(), false);
  }

  static CaffeineSettings caffeineSettings(Config config) {
    long entries = known(config, CacheOptions.MAX_ENTRIES)
        ? config.getLong(CacheOptions.MAX_ENTRIES.key(), 0, 1, Long.MAX_VALUE) : 0;
    Optional<String> bytesText = get(config, CacheOptions.MAX_BYTES);
    if (entries > 0 && bytesText.isPresent()) {
      throw new ConfigurationException(
          "options 'cache.max-entries' and 'cache.max-bytes' cannot be combined: bound the"
              + " in-memory cache by entries or by bytes");
    }
    long bytes = bytesText.map(t -> parseSize(CacheOptions.MAX_BYTES.key(), t))
        .orElse(entries > 0 ? 0 : CaffeineSettings.DEFAULT_MAX_BYTES);
    return new CaffeineSettings(entries, bytes, duration(config, CacheOptions.EXPIRE_AFTER_WRITE),
        duration(config, CacheOptions.EXPIRE_AFTER_ACCESS));
  }

  static SqliteSettings sqliteSettings(Config config) {
    Path path = get(config, CacheOptions.PATH).map(Path::of).orElseGet(Stores::defaultPath);
    Duration busy = duration(config, CacheOptions.SQLITE_BUSY_TIMEOUT);
    try {
      return new SqliteSettings(path, busy == null ? Duration.ofSeconds(5) : busy,
          positive(config, CacheOptions.TTL));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  private static Path defaultPath() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("batchwise").resolve("cache.db");
  }

  static RedisSettings redisSettings(Config config) {
    String raw = get(config, CacheOptions.URI).orElse("redis://localhost:6379");
    String scheme = raw.contains("://") ? raw.substring(0, raw.indexOf("://")) : "";
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new ConfigurationException(
          "option 'cache.uri' must start with redis:// or rediss:// (TLS), e.g."
              + " redis://localhost:6379/0; the value is not shown as it may carry a password");
    }
    RedisURI uri;
    try {
      uri = RedisURI.create(raw);
    } catch (RuntimeException e) {
      throw new ConfigurationException(
          "option 'cache.uri' is not a valid Redis URI such as redis://host:6379/0 (the value is not"
              + " shown as it may carry a password)");
    }
    Optional<String> password = get(config, CacheOptions.REDIS_PASSWORD);
    Optional<String> username = get(config, CacheOptions.REDIS_USERNAME);
    if (password.isPresent()) {
      if (username.isPresent()) {
        uri.setAuthentication(username.get(), password.get().toCharArray());
      } else {
        uri.setAuthentication(password.get().toCharArray());
      }
    } else if (username.isPresent()) {
      throw new ConfigurationException(
          "option 'cache.redis.username' needs 'cache.redis.password' as well");
    }
    if (known(config, CacheOptions.REDIS_TLS) && config.getBoolean(CacheOptions.REDIS_TLS.key(), false)) {
      uri.setSsl(true);
    }
    Duration timeout = duration(config, CacheOptions.REDIS_TIMEOUT);
    timeout = timeout == null ? Duration.ofMillis(500) : timeout;
    if (timeout.isZero()) {
      throw new ConfigurationException("option 'cache.redis.timeout' must be positive, was 0");
    }
    uri.setTimeout(timeout);
    String prefix = get(config, CacheOptions.KEY_PREFIX).orElse("");
    return new RedisSettings(uri, prefix, timeout, positive(config, CacheOptions.TTL));
  }

  static int breakerThreshold(Config config) {
    return known(config, CacheOptions.BREAKER_FAILURE_THRESHOLD)
        ? config.getInt(CacheOptions.BREAKER_FAILURE_THRESHOLD.key(), 3, 1, 1_000_000) : 3;
  }

  static Duration breakerCoolDown(Config config) {
    Duration d = duration(config, CacheOptions.BREAKER_COOL_DOWN);
    return d == null ? Duration.ofSeconds(30) : d;
  }

  private static boolean known(Config config, ConfigOption option) {
    return config.options().containsKey(option.key());
  }

  private static Optional<String> get(Config config, ConfigOption option) {
    return known(config, option) ? config.get(option.key()) : Optional.empty();
  }

  private static Duration duration(Config config, ConfigOption option) {
    return known(config, option) && config.get(option.key()).isPresent()
        ? config.getDuration(option.key(), null) : null;
  }

  private static Duration positive(Config config, ConfigOption option) {
    Duration d = duration(config, option);
    if (d != null && d.isZero()) {
      throw new ConfigurationException("option '" + option.key() + "' must be positive, was 0");
    }
    return d;
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

  static void requirePrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      throw new IllegalArgumentException("the key prefix must not be empty; use clear() to remove everything");
    }
  }

  static CompletionException asCompletionException(Throwable t) {
    return t instanceof CompletionException ? (CompletionException) t : new CompletionException(t);
  }
}
