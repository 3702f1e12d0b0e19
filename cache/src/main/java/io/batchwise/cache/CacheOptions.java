package io.batchwise.cache;

import io.batchwise.config.ConfigOption;
import java.util.List;

/**
 * Every configuration option the caches of this module read. Set them on the builder, as system
 * properties ({@code -Dbatchwise.cache.path=...}) or as environment variables
 * ({@code BATCHWISE_CACHE_PATH=...}).
 *
 * <p>Durations are ISO-8601 ({@code PT30S}) or a number with a unit ({@code 250ms}, {@code 30s},
 * {@code 5m}, {@code 1h}); sizes in bytes are a number with an optional unit ({@code kb}, {@code mb},
 * {@code gb}, powers of 1024).
 */
public final class CacheOptions {
  private CacheOptions() {}

  /** caffeine and tiered front: the most entries kept; cannot be combined with {@link #MAX_BYTES}. */
  public static final ConfigOption MAX_ENTRIES =
      ConfigOption.of("cache.max-entries", null,
          "Most entries kept in memory (caffeine, tiered front); not combinable with cache.max-bytes.");

  /** caffeine and tiered front: the most bytes kept; the default bound when neither is set. */
  public static final ConfigOption MAX_BYTES =
      ConfigOption.of("cache.max-bytes", null,
          "Most bytes kept in memory, e.g. 256mb (caffeine, tiered front); default 256mb when"
              + " cache.max-entries is not set.");

  /** caffeine and tiered front: entries expire this long after they were written. */
  public static final ConfigOption EXPIRE_AFTER_WRITE =
      ConfigOption.of("cache.expire-after-write", null,
          "In-memory entries expire this long after being written (caffeine, tiered front).");

  /** caffeine and tiered front: entries expire this long after they were last read or written. */
  public static final ConfigOption EXPIRE_AFTER_ACCESS =
      ConfigOption.of("cache.expire-after-access", null,
          "In-memory entries expire this long after their last read or write (caffeine, tiered"
              + " front).");

  /** sqlite: the database file, created owner-read/write only. */
  public static final ConfigOption PATH =
      ConfigOption.of("cache.path", null,
          "SQLite cache file; default ~/.cache/batchwise/cache.db. Created readable by its owner"
              + " only.");

  /** sqlite: how long to wait for another connection's or process's write lock. */
  public static final ConfigOption SQLITE_BUSY_TIMEOUT =
      ConfigOption.of("cache.sqlite.busy-timeout", "5s",
          "How long a SQLite write waits for another process holding the lock.");

  /** redis: the server, {@code redis://host:port/db} or {@code rediss://} for TLS; secret, as it may
   *  carry a password. */
  public static final ConfigOption URI =
      new ConfigOption("cache.uri", "redis://localhost:6379",
          "Redis server as redis://host:port/db (rediss:// for TLS); never printed, as it may carry a"
              + " password.", List.of(), true);

  /** redis: the prefix of every key, so several applications can share a database. */
  public static final ConfigOption KEY_PREFIX =
      ConfigOption.of("cache.key-prefix", "batchwise:",
          "Prefix of every Redis key; clear() removes only keys with this prefix.");

  /** redis: the ACL user name. */
  public static final ConfigOption REDIS_USERNAME =
      ConfigOption.of("cache.redis.username", null, "Redis ACL user name (with cache.redis.password).");

  /** redis: the password (never printed); also read from {@code REDIS_PASSWORD}. */
  public static final ConfigOption REDIS_PASSWORD =
      ConfigOption.secret("cache.redis.password", "Redis password; never printed.", "REDIS_PASSWORD");

  /** redis: use TLS (also implied by a {@code rediss://} URI). */
  public static final ConfigOption REDIS_TLS =
      ConfigOption.of("cache.redis.tls", "false", "Connect to Redis with TLS, verifying the server.");

  /** redis: the connect timeout, and the longest Redis may go without answering during a call. */
  public static final ConfigOption REDIS_TIMEOUT =
      ConfigOption.of("cache.redis.timeout", "500ms",
          "Redis connect timeout, and the longest a call waits for Redis's next reply; beyond it the"
              + " lookup is a miss and the store is dropped.");

  /** sqlite and redis: how long entries live. */
  public static final ConfigOption TTL =
      ConfigOption.of("cache.ttl", null, "How long SQLite and Redis entries live; unset for ever.");

  /** all: store vectors as float16. */
  public static final ConfigOption FLOAT16 =
      ConfigOption.of("cache.float16", "false",
          "Store vectors as float16 (half the size, ~3 significant digits) in SQLite and Redis.");

  /** tiered: the backend behind the in-memory front. */
  public static final ConfigOption BACK =
      ConfigOption.of("cache.back", "sqlite", "Tiered cache: the backend behind Caffeine, sqlite or redis.");

  /** sqlite and redis: consecutive failures that open the circuit breaker. */
  public static final ConfigOption BREAKER_FAILURE_THRESHOLD =
      ConfigOption.of("cache.breaker.failure-threshold", "3",
          "Consecutive backend failures after which the cache stops calling it for the cool-down.");

  /** sqlite and redis: how long an open breaker waits before probing the backend again. */
  public static final ConfigOption BREAKER_COOL_DOWN =
      ConfigOption.of("cache.breaker.cool-down", "30s",
          "How long the cache treats everything as a miss before probing a failed backend again.");

  /** The options of the {@code caffeine} cache. */
  static final List<ConfigOption> CAFFEINE =
      List.of(MAX_ENTRIES, MAX_BYTES, EXPIRE_AFTER_WRITE, EXPIRE_AFTER_ACCESS);

  /** The options of the {@code sqlite} cache. */
  static final List<ConfigOption> SQLITE =
      List.of(PATH, SQLITE_BUSY_TIMEOUT, TTL, FLOAT16, BREAKER_FAILURE_THRESHOLD, BREAKER_COOL_DOWN);

  /** The options of the {@code redis} cache. */
  static final List<ConfigOption> REDIS =
      List.of(URI, KEY_PREFIX, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, REDIS_TIMEOUT, TTL, FLOAT16,
          BREAKER_FAILURE_THRESHOLD, BREAKER_COOL_DOWN);

  /** The options of the {@code tiered} cache: its own, the front's and both backs'. */
  static final List<ConfigOption> TIERED =
      List.of(BACK, MAX_ENTRIES, MAX_BYTES, EXPIRE_AFTER_WRITE, EXPIRE_AFTER_ACCESS, PATH,
          SQLITE_BUSY_TIMEOUT, URI, KEY_PREFIX, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS,
          REDIS_TIMEOUT, TTL, FLOAT16, BREAKER_FAILURE_THRESHOLD, BREAKER_COOL_DOWN);

  /**
   * Every option of this module, once each.
   *
   * @return the options
   */
  public static List<ConfigOption> all() {
    return TIERED;
  }
}
