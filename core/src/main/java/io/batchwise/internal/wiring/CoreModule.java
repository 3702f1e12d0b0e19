package io.batchwise.internal.wiring;

import dagger.Module;
import dagger.Provides;
import io.batchwise.Embedder;
import io.batchwise.config.Config;
import io.batchwise.config.CoreOptions;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.internal.concurrent.NamedThreadFactory;
import io.batchwise.internal.embed.EmbedPipeline;
import io.batchwise.internal.embed.EmbedSettings;
import io.batchwise.internal.scheduler.LocalSchedulerFactory;
import io.batchwise.map.Mapper;
import io.batchwise.map.MapperFactory;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.CloseMode;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.CallBudget;
import io.batchwise.spi.CallPacer;
import io.batchwise.spi.CallPacerFactory;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * How a Batchwise instance is put together: explicit instances from the builder win; otherwise the
 * factory with the configured id, found by ServiceLoader, creates the component, and the instance
 * owns (and later closes) what it created.
 */
@Module
final class CoreModule {
  private CoreModule() {}

  @Provides
  @Singleton
  @Cpu
  static ExecutorService cpuPool(Config config, OwnedResources owned) {
    int threads = config.get(CoreOptions.CPU_THREADS);
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, new NamedThreadFactory("batchwise-cpu"));
    owned.own(OwnedResources.Stage.EXECUTORS, () -> shutdown(pool));
    return pool;
  }

  @Provides
  @Singleton
  @Blocking
  static ExecutorService blockingPool(OwnedResources owned) {
    ExecutorService pool = Executors.newCachedThreadPool(new NamedThreadFactory("batchwise-io"));
    owned.own(OwnedResources.Stage.EXECUTORS, () -> shutdown(pool));
    return pool;
  }

  private static void shutdown(ExecutorService pool) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      pool.shutdownNow();
    }
  }

  @Provides
  @Singleton
  static TokenizerRegistry tokenizers(
      Config config, @Cpu ExecutorService cpu, MeterRegistry registry) {
    long size = config.get(CoreOptions.COUNT_CACHE_SIZE);
    return new TokenizerRegistry(size, cpu, registry);
  }

  @Provides
  @Singleton
  static FactoryContext context(
      Config config,
      MeterRegistry registry,
      TokenizerRegistry tokenizers,
      @Cpu ExecutorService cpu) {
    return FactoryContext.of(config, registry, tokenizers, cpu);
  }

  @Provides
  @Singleton
  static EmbeddingProvider provider(
      Overrides overrides, FactoryContext context, OwnedResources owned) {
    return overrides
        .explicitProvider()
        .orElseGet(
            () ->
                owned.own(
                    OwnedResources.Stage.PROVIDER,
                    FactoryRegistry.of(EmbeddingProviderFactory.class)
                        .find(context.config().get(CoreOptions.PROVIDER))
                        .create(context)));
  }

  @Provides
  @Singleton
  static EmbeddingCache cache(Overrides overrides, FactoryContext context, OwnedResources owned) {
    return overrides
        .explicitCache()
        .orElseGet(
            () ->
                owned.own(
                    OwnedResources.Stage.CACHE,
                    FactoryRegistry.of(CacheFactory.class)
                        .find(context.config().get(CoreOptions.CACHE))
                        .create(context)));
  }

  @Provides
  @Singleton
  static Scheduler scheduler(Overrides overrides, FactoryContext context, OwnedResources owned) {
    return overrides
        .explicitScheduler()
        .orElseGet(
            () ->
                owned.own(
                    OwnedResources.Stage.SCHEDULER,
                    FactoryRegistry.of(SchedulerFactory.class)
                        .find(context.config().get(CoreOptions.SCHEDULER))
                        .create(context)));
  }

  /**
   * The mapper of {@code Batchwise.mapper()}, from the factory the {@code mapper} option names, on
   * the instance's scheduler and cache; closed with the provider, after the scheduler has finished
   * or cancelled its jobs.
   */
  @Provides
  @Singleton
  static Mapper mapper(
      FactoryContext context, Scheduler scheduler, EmbeddingCache cache, OwnedResources owned) {
    MapperFactory factory =
        FactoryRegistry.of(MapperFactory.class).find(context.config().get(CoreOptions.MAPPER));
    return owned.own(
        OwnedResources.Stage.PROVIDER,
        factory.create(new CoreMapperContext(context, scheduler, cache)));
  }

  @Provides
  @Singleton
  static EmbedSettings settings(Config config, EmbeddingProvider provider) {
    return EmbedSettingsResolver.resolve(config, provider);
  }

  /**
   * One set of limits per instance and provider, so that concurrency and the per-minute limits hold
   * across every embed, stream window and command-line chunk, not per call.
   */
  @Provides
  @Singleton
  static CallLimits callLimits(
      EmbedSettings settings,
      EmbeddingProvider provider,
      FactoryContext context,
      OwnedResources owned) {
    CallBudget budget =
        new CallBudget(
            provider.id() + ":" + provider.modelInfo().modelId(),
            settings.requestsPerMinute(),
            settings.tokensPerMinute(),
            provider.pacer());
    CallPacer pacer =
        FactoryRegistry.of(CallPacerFactory.class)
            .find(context.config().get(CoreOptions.PACER))
            .create(context, budget);
    if (pacer instanceof AutoCloseable closeable) {
      // closed with the provider: nothing reserves a call once the scheduler and the embeds are
      // done
      owned.own(OwnedResources.Stage.PROVIDER, closeable);
    }
    return new CallLimits(new CallPermits(settings.concurrency()), pacer);
  }

  @Provides
  @Singleton
  static Embedder embedder(
      Config config,
      EmbeddingProvider provider,
      EmbedSettings settings,
      EmbeddingCache cache,
      Scheduler scheduler,
      CallLimits limits,
      MeterRegistry registry,
      ObservationRegistry observations,
      TokenizerRegistry tokenizers,
      @Cpu ExecutorService cpu,
      @Blocking ExecutorService blocking,
      OwnedResources owned) {
    EmbedPipeline pipeline =
        new EmbedPipeline(
            provider,
            tokenizers.register(provider.tokenizer()),
            settings,
            cache,
            scheduler,
            limits,
            registry,
            observations,
            cpu,
            blocking);
    owned.own(OwnedResources.Stage.STOP_INTAKE, pipeline::stopAccepting);
    // the instance's embeds get the scheduler's close mode and timeout even when the scheduler is
    // not its own
    CloseMode closeMode = config.get(LocalSchedulerFactory.CLOSE_MODE);
    Duration closeTimeout = config.get(LocalSchedulerFactory.CLOSE_TIMEOUT);
    owned.own(OwnedResources.Stage.SETTLE, () -> pipeline.awaitSettled(closeMode, closeTimeout));
    return pipeline;
  }
}
