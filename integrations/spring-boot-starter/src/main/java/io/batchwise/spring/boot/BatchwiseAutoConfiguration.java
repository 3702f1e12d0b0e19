package io.batchwise.spring.boot;

import io.batchwise.Batchwise;
import io.batchwise.Embedder;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of one {@link Batchwise} and its {@link Embedder}.
 *
 * <p>The instance is built from the {@code batchwise.*} properties of the Spring {@link
 * Environment} (the keys of the configuration reference: {@code batchwise.provider=openai}, {@code
 * batchwise.local.model=bge-small-en-v1.5-q}, ...), with Spring's precedence between property
 * sources; a {@code batchwise.*} property that names no option fails the start-up as an unknown
 * option fails {@code build()}, with the closest names. It records to the application's {@link
 * MeterRegistry} and {@link ObservationRegistry} when there are ones (so each embed and provider
 * call shows in Boot's tracing as a span), and uses the application's {@link EmbeddingProvider} or
 * {@link EmbeddingCache} bean when there is exactly one (then {@code batchwise.provider} or {@code
 * batchwise.cache} must not be set); every {@link BatchwiseBuilderCustomizer} runs last. The
 * context closes the instance on shutdown. An application's own {@code Batchwise} or {@code
 * Embedder} bean replaces the one made here.
 */
// no ordering after the metrics or observation auto-configuration is needed: the registries are
// looked up when the instance is created, after every bean definition is known
@AutoConfiguration
@ConditionalOnClass(Batchwise.class)
public class BatchwiseAutoConfiguration {

  /** For Spring. */
  public BatchwiseAutoConfiguration() {}

  /**
   * The instance, closed with the context.
   *
   * @param environment where the {@code batchwise.*} properties are read
   * @param meterRegistry the application's registry, if it has one
   * @param observationRegistry the application's observation registry, if it has one
   * @param provider the application's provider, if it has exactly one
   * @param cache the application's cache, if it has exactly one
   * @param customizers applied last, in order
   * @return the instance
   * @throws io.batchwise.config.ConfigurationException when a property is unknown, out of range, or
   *     belongs to a provider, cache or scheduler that is not the selected one
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Batchwise batchwise(
      Environment environment,
      ObjectProvider<MeterRegistry> meterRegistry,
      ObjectProvider<ObservationRegistry> observationRegistry,
      ObjectProvider<EmbeddingProvider> provider,
      ObjectProvider<EmbeddingCache> cache,
      ObjectProvider<BatchwiseBuilderCustomizer> customizers) {
    Batchwise.Builder builder =
        Batchwise.builder()
            .options(EnvironmentOptions.read(environment, Batchwise.declaredOptions()));
    meterRegistry.ifUnique(builder::meterRegistry);
    observationRegistry.ifUnique(builder::observationRegistry);
    provider.ifUnique(builder::provider);
    cache.ifUnique(builder::cache);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * The instance's embedder. Lazy: the provider (a model to load, a key to check) is created when a
   * bean that needs the embedder is, so an application that only runs its own jobs on the scheduler
   * needs no provider.
   *
   * @param batchwise the instance
   * @return its embedder, closed with it (not by the context)
   */
  @Bean(destroyMethod = "")
  @Lazy
  @ConditionalOnMissingBean
  public Embedder embedder(Batchwise batchwise) {
    return batchwise.embedder();
  }
}
