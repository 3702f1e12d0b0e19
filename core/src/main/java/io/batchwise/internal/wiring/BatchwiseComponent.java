package io.batchwise.internal.wiring;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Lazy;
import io.batchwise.Embedder;
import io.batchwise.config.Config;
import io.batchwise.map.Mapper;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import jakarta.inject.Singleton;

/**
 * The object graph of one Batchwise instance: one configuration, one meter registry, one cache, one
 * scheduler and one provider, shared by the embedder and every job. Only the top-level objects are
 * exposed; the provider is {@link Lazy} because loading a model is expensive and a user of the
 * scheduler alone needs none.
 */
@Singleton
@Component(modules = CoreModule.class)
public interface BatchwiseComponent {
  /**
   * @return the embedder, created with the provider on first use
   */
  Lazy<Embedder> embedder();

  /**
   * @return the provider, created on first use
   */
  Lazy<EmbeddingProvider> provider();

  /**
   * @return the mapper, created on first use
   */
  Lazy<Mapper> mapper();

  /**
   * @return the scheduler
   */
  Scheduler scheduler();

  /**
   * @return the limits of the provider's calls, created with the provider on first use
   */
  Lazy<CallLimits> callLimits();

  /**
   * @return the cache
   */
  EmbeddingCache cache();

  /**
   * @return the tokenizer registry
   */
  TokenizerRegistry tokenizers();

  /**
   * @return the configuration
   */
  Config config();

  /**
   * @return the meter registry
   */
  MeterRegistry meterRegistry();

  /**
   * @return the observation registry
   */
  ObservationRegistry observationRegistry();

  /**
   * @return what this instance must close
   */
  OwnedResources ownedResources();

  /**
   * Creates the component.
   *
   * @return a builder
   */
  static Builder builder() {
    return DaggerBatchwiseComponent.builder();
  }

  /** Binds the runtime values. */
  @Component.Builder
  interface Builder {
    /**
     * @param config the resolved configuration
     * @return this
     */
    @BindsInstance
    Builder config(Config config);

    /**
     * @param registry the shared registry
     * @return this
     */
    @BindsInstance
    Builder meterRegistry(MeterRegistry registry);

    /**
     * @param registry the registry of the embed and call observations
     * @return this
     */
    @BindsInstance
    Builder observationRegistry(ObservationRegistry registry);

    /**
     * @param overrides instances given by the user
     * @return this
     */
    @BindsInstance
    Builder overrides(Overrides overrides);

    /**
     * @return the component
     */
    BatchwiseComponent build();
  }
}
