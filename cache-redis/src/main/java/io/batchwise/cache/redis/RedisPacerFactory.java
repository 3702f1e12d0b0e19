package io.batchwise.cache.redis;

import io.batchwise.cache.redis.internal.RedisPacer;
import io.batchwise.cache.redis.internal.RedisStores;
import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.FactoryContext;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The {@code redis} pacer: a provider's requests-per-minute and tokens-per-minute held in Redis
 * (Bucket4j's token buckets, updated by compare-and-swap), so that every process using the same
 * server ({@code cache.uri}) and budget name ({@code pacer.redis.name}) — Spark executors, several
 * command-line runs, several instances of an app — together stay within one budget.
 *
 * <p>Found by {@link ServiceLoader}; choose it with {@code pacer=redis}:
 *
 * <pre>{@code
 * Batchwise bw = Batchwise.builder().provider("openai")
 *     .option("pacer", "redis").option("cache.uri", "redis://redis.internal:6379")
 *     .option("requests-per-minute", "3000").option("tokens-per-minute", "1000000")
 *     .option("pacer.redis.workers", "8")   // each one's share while Redis is unreachable
 *     .build();
 * }</pre>
 */
public final class RedisPacerFactory implements CallPacerFactory {
  /** This factory's id. */
  public static final String ID = "redis";

  /** For {@link ServiceLoader}. */
  public RedisPacerFactory() {}

  /** {@inheritDoc} */
  @Override
  public String id() {
    return ID;
  }

  /** {@inheritDoc} */
  @Override
  public List<ConfigOption<?>> options() {
    return RedisPacerOptions.all();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The pacer connects on its first reservation, not here, so an application starts while Redis
   * is down.
   */
  @Override
  public CallPacer create(FactoryContext context, CallBudget budget) {
    Config config = context.config();
    String name = config.find(RedisPacerOptions.NAME).orElse(budget.name());
    int workers = config.get(RedisPacerOptions.WORKERS);
    Duration retryAfter = config.get(RedisPacerOptions.RETRY_AFTER);
    return new RedisPacer(
        budget, RedisStores.redisSettings(config), name, workers, retryAfter, System::nanoTime);
  }

  @Override
  public String toString() {
    return "RedisPacerFactory{id=" + ID + "}";
  }
}
