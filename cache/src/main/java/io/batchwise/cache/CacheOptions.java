package io.batchwise.cache;

import io.batchwise.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * Every configuration option the caches of this module read, and those every store behind the guard
 * shares ({@link #STORE}). Set them on the builder, as system properties ({@code
 * -Dbatchwise.cache.max-bytes=...}) or as environment variables ({@code
 * BATCHWISE_CACHE_MAX_BYTES=...}).
 *
 * <p>Durations are ISO-8601 ({@code PT30S}) or a number with a unit ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}); sizes in bytes are a number with an optional unit ({@code kb}, {@code
 * mb}, {@code gb}, powers of 1024).
 */
public final class CacheOptions {
  private CacheOptions() {}

  /**
   * caffeine and tiered front: the most entries kept; cannot be combined with {@link #MAX_BYTES}.
   */
  public static final ConfigOption<Long> MAX_ENTRIES =
      ConfigOption.longInteger(
          "cache.max-entries",
          1,
          Long.MAX_VALUE,
          "Most entries kept in memory (caffeine, tiered front); not combinable with cache.max-bytes.");

  /** caffeine and tiered front: the most bytes kept; the default bound when neither is set. */
  public static final ConfigOption<Long> MAX_BYTES =
      ConfigOption.bytes(
          "cache.max-bytes",
          1,
          Long.MAX_VALUE,
          "Most bytes kept in memory, e.g. 256mb (caffeine, tiered front); default 256mb when"
              + " cache.max-entries is not set.");

  /** caffeine and tiered front: entries expire this long after they were written. */
  public static final ConfigOption<Duration> EXPIRE_AFTER_WRITE =
      ConfigOption.duration(
          "cache.expire-after-write",
          ConfigOption.POSITIVE,
          "In-memory entries expire this long after being written (caffeine, tiered front).");

  /** caffeine and tiered front: entries expire this long after they were last read or written. */
  public static final ConfigOption<Duration> EXPIRE_AFTER_ACCESS =
      ConfigOption.duration(
          "cache.expire-after-access",
          ConfigOption.POSITIVE,
          "In-memory entries expire this long after their last read or write (caffeine, tiered"
              + " front).");

  /** Guarded stores (sqlite, redis): how long entries live. */
  public static final ConfigOption<Duration> TTL =
      ConfigOption.duration(
          "cache.ttl",
          ConfigOption.POSITIVE,
          "How long SQLite and Redis entries live; unset for ever.");

  /** The embedding view of every store but the in-memory ones: store vectors as float16. */
  public static final ConfigOption<Boolean> FLOAT16 =
      ConfigOption.flag(
          "cache.float16",
          false,
          "Store vectors as float16 (half the size, ~3 significant digits) in SQLite and Redis.");

  /** tiered: the id of the store behind the in-memory front. */
  public static final ConfigOption<String> BACK =
      ConfigOption.text(
          "cache.back",
          "sqlite",
          "Tiered cache: the backend behind Caffeine, sqlite (batchwise-cache-sqlite) or redis"
              + " (batchwise-cache-redis).");

  /** Guarded stores (sqlite, redis): consecutive failures that open the circuit breaker. */
  public static final ConfigOption<Integer> BREAKER_FAILURE_THRESHOLD =
      ConfigOption.integer(
              "cache.breaker.failure-threshold",
              1,
              1_000_000,
              "Consecutive backend failures after which the cache stops calling it for the cool-down.")
          .withDefault(3);

  /** Guarded stores (sqlite, redis): how long an open breaker waits before probing again. */
  public static final ConfigOption<Duration> BREAKER_COOL_DOWN =
      ConfigOption.duration(
              "cache.breaker.cool-down",
              Duration.ZERO,
              "How long the cache treats everything as a miss before probing a failed backend again.")
          .withDefault(Duration.ofSeconds(30));

  /** The options of the {@code caffeine} cache. */
  static final List<ConfigOption<?>> CAFFEINE =
      List.of(MAX_ENTRIES, MAX_BYTES, EXPIRE_AFTER_WRITE, EXPIRE_AFTER_ACCESS);

  /**
   * The options that every store behind the guard reads besides its own: {@link #TTL}, {@link
   * #FLOAT16} and the circuit breaker's. A backend module lists them among its factory's options.
   */
  public static final List<ConfigOption<?>> STORE =
      List.of(TTL, FLOAT16, BREAKER_FAILURE_THRESHOLD, BREAKER_COOL_DOWN);

  /**
   * The {@code tiered} cache's own options and its front's; its factory adds those of every back
   * found on the classpath.
   */
  static final List<ConfigOption<?>> TIERED =
      List.of(
          MAX_ENTRIES,
          MAX_BYTES,
          EXPIRE_AFTER_WRITE,
          EXPIRE_AFTER_ACCESS,
          BACK,
          TTL,
          FLOAT16,
          BREAKER_FAILURE_THRESHOLD,
          BREAKER_COOL_DOWN);

  /**
   * Every option this module declares, once each. The {@code sqlite} and {@code redis} caches
   * declare theirs in their own modules ({@code SqliteOptions}, {@code RedisOptions}).
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return TIERED;
  }
}
