package io.batchwise.cache.redis;

import io.batchwise.config.ConfigOption;
import java.time.Duration;
import java.util.List;

/**
 * The options of the {@code redis} pacer. It reaches Redis with the connection options of the
 * {@code redis} cache ({@link RedisOptions}: {@code cache.uri}, {@code cache.redis.*}, {@code
 * cache.key-prefix}), so a job configures one Redis server for both.
 */
public final class RedisPacerOptions {
  private RedisPacerOptions() {}

  /** The name of the shared budget; every process with the same server and name shares it. */
  public static final ConfigOption<String> NAME =
      ConfigOption.text(
          "pacer.redis.name",
          null,
          "name of the shared budget: every process using the same Redis server (cache.uri) and name holds"
              + " one requests-per-minute and tokens-per-minute budget; default: the provider and model,"
              + " e.g. openai:text-embedding-3-small");

  /** How many processes share the budget: each one's share while Redis is unreachable. */
  public static final ConfigOption<Integer> WORKERS =
      ConfigOption.integer(
              "pacer.redis.workers",
              1,
              100_000,
              "processes sharing the budget, 1-100000: while Redis is unreachable each one paces its calls at"
                  + " 1/workers of requests-per-minute and tokens-per-minute")
          .withDefault(1);

  /** How long a pacer that lost Redis keeps to its share before it tries Redis again. */
  public static final ConfigOption<Duration> RETRY_AFTER =
      ConfigOption.duration(
              "pacer.redis.retry-after",
              Duration.ZERO,
              "while Redis is unreachable, how long the pacer keeps to its share before it tries Redis again")
          .withDefault(Duration.ofSeconds(5));

  /**
   * The options the {@code redis} pacer reads: the connection options it shares with the cache, and
   * its own.
   *
   * @return the options
   */
  public static List<ConfigOption<?>> all() {
    return List.of(
        RedisOptions.URI,
        RedisOptions.KEY_PREFIX,
        RedisOptions.USERNAME,
        RedisOptions.PASSWORD,
        RedisOptions.TLS,
        RedisOptions.TIMEOUT,
        NAME,
        WORKERS,
        RETRY_AFTER);
  }
}
