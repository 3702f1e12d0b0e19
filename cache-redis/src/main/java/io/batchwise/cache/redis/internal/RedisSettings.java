package io.batchwise.cache.redis.internal;

import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.redis.RedisOptions;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis and lay out keys. The URI may carry a password: it is never printed, and
 * {@link #toString()} and {@link #describe()} show only scheme, host, port and database.
 *
 * @param uri the server, with credentials and TLS settings applied
 * @param keyPrefix the prefix of every key
 * @param timeout the connect and command timeout
 * @param ttl how long entries live when a put names no ttl, or null for ever
 */
public record RedisSettings(RedisURI uri, String keyPrefix, Duration timeout, Duration ttl) {

  /** Checks the values. */
  public RedisSettings {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(timeout, "timeout");
    RedisOptions.TIMEOUT.check(timeout);
    if (ttl != null) {
      CacheOptions.TTL.check(ttl);
    }
  }

  /**
   * The server without credentials, for logs: {@code redis://host:port/db}.
   *
   * @return the description
   */
  public String describe() {
    return (uri.isSsl() ? "rediss" : "redis")
        + "://"
        + uri.getHost()
        + ":"
        + uri.getPort()
        + "/"
        + uri.getDatabase();
  }

  /** Shows the server without credentials. */
  @Override
  public String toString() {
    return "RedisSettings{"
        + describe()
        + ", keyPrefix="
        + keyPrefix
        + ", timeout="
        + timeout
        + ", ttl="
        + ttl
        + "}";
  }
}
