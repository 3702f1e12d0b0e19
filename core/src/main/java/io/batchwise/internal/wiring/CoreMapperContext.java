package io.batchwise.internal.wiring;

import io.batchwise.config.Config;
import io.batchwise.config.CoreOptions;
import io.batchwise.internal.scheduler.PerMinutePacer;
import io.batchwise.map.MapperContext;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The {@link MapperContext} of one instance: its factory context, scheduler and cache, and the core
 * options the embedder reads too (concurrency, per-minute limits, retries, job timeout).
 */
final class CoreMapperContext implements MapperContext {
  private final FactoryContext context;
  private final Scheduler scheduler;
  private final EmbeddingCache cache;

  CoreMapperContext(FactoryContext context, Scheduler scheduler, EmbeddingCache cache) {
    this.context = context;
    this.scheduler = scheduler;
    this.cache = cache;
  }

  @Override
  public Config config() {
    return context.config();
  }

  @Override
  public MeterRegistry meterRegistry() {
    return context.meterRegistry();
  }

  @Override
  public TokenizerRegistry tokenizers() {
    return context.tokenizers();
  }

  @Override
  public Executor cpuExecutor() {
    return context.cpuExecutor();
  }

  @Override
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public EmbeddingCache cache() {
    return cache;
  }

  @Override
  public CallLimits newCallLimits(CallPacer reported) {
    Config config = context.config();
    return new CallLimits(
        new CallPermits(config.get(CoreOptions.CONCURRENCY)),
        new PerMinutePacer(
            config.get(CoreOptions.REQUESTS_PER_MINUTE),
            config.get(CoreOptions.TOKENS_PER_MINUTE),
            reported,
            System::nanoTime));
  }

  @Override
  public RetryPolicy retryPolicy() {
    return EmbedSettingsResolver.retryPolicy(context.config());
  }

  @Override
  public Optional<Duration> jobTimeout() {
    return context.config().find(CoreOptions.JOB_TIMEOUT);
  }
}
