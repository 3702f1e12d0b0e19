package io.batchwise.cache.redis.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.redis.RedisOptions;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigurationException;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * Builds the Redis store from configuration: the one place that reads {@link RedisOptions}. Public
 * for {@link io.batchwise.cache.redis.RedisCacheFactory}; not an API.
 */
public final class RedisStores {
  private RedisStores() {}

  /**
   * A Redis store, guarded by a circuit breaker ({@code cache.breaker.*}). Connects on first use.
   *
   * @param config the configuration
   * @param registry the meter registry
   * @return the store
   * @throws ConfigurationException when an option is invalid; the message never shows the URI
   */
  public static ByteStore redis(Config config, MeterRegistry registry) {
    RedisSettings settings = redisSettings(config);
    return GuardedByteStore.guard(
        () -> new RedisByteStore(settings), description(settings), config, registry);
  }

  /**
   * A Redis store with an explicit breaker and clock, for tests.
   *
   * @param settings the server and key layout
   * @param threshold consecutive failures that open the breaker
   * @param coolDown how long it stays open
   * @param registry the meter registry
   * @param ticker the breaker's clock
   * @return the store
   */
  public static GuardedByteStore redis(
      RedisSettings settings,
      int threshold,
      Duration coolDown,
      MeterRegistry registry,
      Ticker ticker) {
    CacheMetrics metrics = new CacheMetrics(registry, "redis");
    return new GuardedByteStore(
        new RedisByteStore(settings), description(settings), threshold, coolDown, ticker, metrics);
  }

  private static String description(RedisSettings settings) {
    return "Redis cache at " + settings.describe();
  }

  /**
   * The settings that the options configure.
   *
   * @param config the configuration
   * @return the settings, with credentials and TLS applied to the URI
   * @throws ConfigurationException naming the option when one is invalid; never the URI's value
   */
  public static RedisSettings redisSettings(Config config) {
    String raw = config.get(RedisOptions.URI);
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
    Optional<String> password = config.find(RedisOptions.PASSWORD);
    Optional<String> username = config.find(RedisOptions.USERNAME);
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
    if (config.get(RedisOptions.TLS)) {
      uri.setSsl(true);
    }
    Duration timeout = config.get(RedisOptions.TIMEOUT);
    uri.setTimeout(timeout);
    String prefix = config.find(RedisOptions.KEY_PREFIX).orElse("");
    return new RedisSettings(uri, prefix, timeout, config.find(CacheOptions.TTL).orElse(null));
  }
}
