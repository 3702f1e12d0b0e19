package io.batchwise.cache.redis.internal;

import io.batchwise.cache.redis.internal.BudgetBuckets.Limits;
import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's per-minute budget held in Redis for every process that uses the same server and
 * budget name: each call reserves one request and its tokens in Redis (Bucket4j's buckets, updated
 * by compare-and-swap, so no reservation is lost to a concurrent one) and learns how long to wait.
 *
 * <ul>
 *   <li>The limits in force are the stricter of the configured ones and those the service reports
 *       (through the provider's own pacer), read at every reservation; when they change, this
 *       process re-configures the shared buckets. The wait is the longer of the budget's and the
 *       service's (a service that said nothing remains until its window resets). A 429 is the
 *       scheduler's to retry.
 *   <li>Each pacer has its own Redis connection, made at its first reservation, and shares nothing
 *       else. Reservations of one pacer go to Redis one at a time.
 *   <li>When Redis cannot be reached (no connection, no answer within {@code cache.redis.timeout}),
 *       the pacer holds its share of the budget in this process — {@code 1/workers} of each limit —
 *       says so once in the log, and tries Redis again after {@code retryAfter}. A reservation
 *       never blocks for longer than the Redis timeout, and never fails for want of Redis.
 *   <li>Bucket4j computes refills from each process's clock: processes on several hosts need their
 *       clocks kept in step (NTP), as for any distributed rate limit.
 * </ul>
 *
 * <p>Thread-safe. {@link #toString()} shows the server without credentials.
 */
public final class RedisPacer implements CallPacer, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPacer.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final CallBudget budget;
  private final RedisSettings settings;
  private final String name;
  private final String key;
  private final int workers;
  private final long retryAfterNanos;
  private final LongSupplier nanoTime;
  private final RedisClient client;

  private final Object lock = new Object();
  // all below guarded by lock
  private StatefulRedisConnection<String, byte[]> connection;
  private ProxyManager<String> buckets;
  private Limits sharedLimits;
  private BudgetBuckets shared;
  private Limits localLimits;
  private BudgetBuckets local;

  /** When Redis is tried again; meaningful while {@link #unreachable}. */
  private long retryAt;

  private boolean unreachable;
  private boolean warned;
  private boolean closed;

  /**
   * Creates the pacer; it connects at its first reservation.
   *
   * @param budget the configured limits and what the service reports
   * @param settings the server, credentials, key prefix and timeout
   * @param name the budget's name: processes with the same server and name share it
   * @param workers the processes sharing it: each one's share while Redis is unreachable is
   *     1/workers
   * @param retryAfter how long a pacer that lost Redis keeps to its share before trying Redis again
   * @param nanoTime the clock of {@code retryAfter}, as {@link System#nanoTime()}
   */
  public RedisPacer(
      CallBudget budget,
      RedisSettings settings,
      String name,
      int workers,
      Duration retryAfter,
      LongSupplier nanoTime) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.name = Objects.requireNonNull(name, "name");
    if (workers < 1) {
      throw new IllegalArgumentException(
          "option 'pacer.redis.workers' must be 1 or more, was " + workers);
    }
    this.workers = workers;
    this.retryAfterNanos = retryAfter.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.key = settings.keyPrefix() + "pacer:" + name + ":";
    this.client = RedisClient.create(settings.uri());
    client.setOptions(
        ClientOptions.builder()
            // a lost connection fails fast and is made again on the next try, after retryAfter
            .autoReconnect(false)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
            .socketOptions(SocketOptions.builder().connectTimeout(settings.timeout()).build())
            .build());
  }

  @Override
  public Duration reserve(long tokens) {
    long serviceWait = Math.max(0, budget.reported().reserve(tokens).toNanos());
    Limits limits = new Limits(budget.requestsPerMinuteInForce(), budget.tokensPerMinuteInForce());
    if (limits.none()) {
      return Duration.ofNanos(serviceWait);
    }
    long wait;
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the redis pacer of budget '" + name + "' is closed");
      }
      wait = reserveShared(limits, tokens);
      if (wait < 0) {
        wait = reserveLocal(limits, tokens);
      }
    }
    return Duration.ofNanos(Math.max(serviceWait, wait));
  }

  /**
   * @return the wait, or -1 when Redis cannot be reached
   */
  private long reserveShared(Limits limits, long tokens) {
    long now = nanoTime.getAsLong();
    if (unreachable && now - retryAt < 0) {
      return -1;
    }
    try {
      if (shared == null || !limits.equals(sharedLimits)) {
        ProxyManager<String> proxies = connect();
        shared =
            BudgetBuckets.of(
                limits,
                1,
                (kind, configuration) -> {
                  Bucket bucket = proxies.builder().build(key + kind, () -> configuration);
                  // only a bucket made with other limits is re-configured: a replacement forgets
                  // the reservations below zero that other processes made, which would let them all
                  // start at once
                  if (!proxies
                      .getProxyConfiguration(key + kind)
                      .map(configuration::equalsByContent)
                      .orElse(true)) {
                    bucket.replaceConfiguration(configuration, TokensInheritanceStrategy.AS_IS);
                  }
                  return bucket;
                });
        sharedLimits = limits;
      }
      long wait = shared.reserve(tokens);
      if (unreachable) {
        unreachable = false;
        LOG.info(
            "the redis pacer reaches Redis at {} again: budget '{}' is shared again",
            settings.describe(),
            name);
      }
      return wait;
    } catch (RuntimeException e) {
      disconnect();
      unreachable = true;
      retryAt = now + retryAfterNanos;
      if (!warned) {
        warned = true;
        LOG.warn(
            "the redis pacer cannot reach Redis at {} ({}): until it can, this process holds 1/{} of budget"
                + " '{}' (requests-per-minute {}, tokens-per-minute {}; 0 is no limit) and tries Redis again every {}",
            settings.describe(),
            e.getClass().getSimpleName(),
            workers,
            name,
            limits.requestsPerMinute(),
            limits.tokensPerMinute(),
            Duration.ofNanos(retryAfterNanos));
      } else {
        LOG.debug(
            "the redis pacer still cannot reach Redis at {} ({})",
            settings.describe(),
            e.getClass().getSimpleName());
      }
      return -1;
    }
  }

  private long reserveLocal(Limits limits, long tokens) {
    if (local == null || !limits.equals(localLimits)) {
      local =
          BudgetBuckets.of(
              limits,
              workers,
              (kind, configuration) ->
                  Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
      localLimits = limits;
    }
    return local.reserve(tokens);
  }

  private ProxyManager<String> connect() {
    if (connection == null || !connection.isOpen()) {
      disconnect();
      connection = client.connect(CODEC, settings.uri());
      buckets =
          Bucket4jLettuce.casBasedBuilder(connection)
              .requestTimeout(settings.timeout())
              // a budget nobody uses any more leaves nothing behind once its buckets would be full
              .expirationAfterWrite(
                  ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                      Duration.ofMinutes(1)))
              .build();
    }
    return buckets;
  }

  /**
   * Drops the connection and what was built on it. A connection Redis dropped is already closed
   * (reconnecting is off), and closing it again only makes Lettuce warn.
   */
  private void disconnect() {
    shared = null;
    buckets = null;
    if (connection != null) {
      if (connection.isOpen()) {
        connection.closeAsync();
      }
      connection = null;
    }
  }

  /**
   * Whether the budget is held in Redis now (false while this process keeps to its share).
   *
   * @return whether the last reservation went to Redis
   */
  public boolean shared() {
    synchronized (lock) {
      return !unreachable;
    }
  }

  /**
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  @Override
  public int requestsPerMinute() {
    return budget.requestsPerMinuteInForce();
  }

  /**
   * @return the stricter of the configured limit and the service's, 0 when neither is known
   */
  @Override
  public long tokensPerMinute() {
    return budget.tokensPerMinuteInForce();
  }

  /** Closes the connection; reservations then fail. Idempotent. */
  @Override
  public void close() {
    StatefulRedisConnection<String, byte[]> last;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      last = connection;
      connection = null;
      disconnect();
    }
    // closed to the end before the client shuts down: the client closes every connection not yet
    // closed, and one still closing would be closed twice
    if (last != null && last.isOpen()) {
      last.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  /** Shows the server without credentials. */
  @Override
  public String toString() {
    return "RedisPacer{budget="
        + name
        + ", redis="
        + settings.describe()
        + ", workers="
        + workers
        + "}";
  }
}
