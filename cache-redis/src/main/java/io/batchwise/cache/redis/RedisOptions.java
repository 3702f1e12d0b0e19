package io.batchwise.cache.redis;

import io.batchwise.cache.CacheOptions;
import io.batchwise.config.ConfigOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options this module declares. The {@code redis} cache also reads the options every store
 * behind the guard shares ({@link CacheOptions#STORE}: {@code cache.ttl}, {@code cache.float16},
 * {@code cache.breaker.*}).
 */
public final class RedisOptions {
  private RedisOptions() {}

  /**
   * The server, {@code redis://host:port/db} or {@code rediss://} for TLS; secret, as it may carry
   * a password.
   */
  public static final ConfigOption<String> URI =
      ConfigOption.secret(
              "cache.uri",
              "Redis server as redis://host:port/db (rediss:// for TLS); never printed, as it may carry a"
                  + " password.")
          .withDefault("redis://localhost:6379");

  /** The prefix of every key, so several applications can share a database. */
  public static final ConfigOption<String> KEY_PREFIX =
      ConfigOption.text(
          "cache.key-prefix",
          "batchwise:",
          "Prefix of every Redis key; clear() removes only keys with this prefix.");

  /** The ACL user name. */
  public static final ConfigOption<String> USERNAME =
      ConfigOption.text(
          "cache.redis.username", null, "Redis ACL user name (with cache.redis.password).");

  /** The password (never printed); also read from {@code REDIS_PASSWORD}. */
  public static final ConfigOption<String> PASSWORD =
      ConfigOption.secret(
          "cache.redis.password", "Redis password; never printed.", "REDIS_PASSWORD");

  /** Use TLS (also implied by a {@code rediss://} URI). */
  public static final ConfigOption<Boolean> TLS =
      ConfigOption.flag(
          "cache.redis.tls", false, "Connect to Redis with TLS, verifying the server.");

  /** The connect timeout, and the longest Redis may go without answering during a call. */
  public static final ConfigOption<Duration> TIMEOUT =
      ConfigOption.duration(
              "cache.redis.timeout",
              ConfigOption.POSITIVE,
              "Redis connect timeout, and the longest a call waits for Redis's next reply; beyond it the"
                  + " lookup is a miss and the store is dropped.")
          .withDefault(Duration.ofMillis(500));

  /**
   * Every option this module declares, once each.
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return List.of(URI, KEY_PREFIX, USERNAME, PASSWORD, TLS, TIMEOUT);
  }

  /** The options of the {@code redis} cache: this module's and the shared store options. */
  static List<ConfigOption<?>> cache() {
    List<ConfigOption<?>> options = new ArrayList<>(all());
    options.addAll(CacheOptions.STORE);
    return List.copyOf(options);
  }
}
