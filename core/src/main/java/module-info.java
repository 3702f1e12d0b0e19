import java.util.ServiceLoader;

// Micrometer and Dagger are automatic modules that name themselves in their manifests (stable
// names)
/**
 * Batchwise core: the {@link io.batchwise.Batchwise} builder and {@link io.batchwise.Embedder}, the
 * SPIs that providers, tokenizers, caches, pacers, schedulers and mappers implement, the scheduler
 * and the vector index.
 *
 * <p>Only API and SPI packages are exported; everything under {@code io.batchwise.internal} stays
 * inside this module. Implementations are found with {@link ServiceLoader}: on the module path
 * through their modules' {@code provides} clauses, on the class path through {@code
 * META-INF/services} (both are kept, so the jar works either way).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.batchwise.core {
  // the builder and the scheduler take and expose Micrometer's registries
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires org.slf4j;
  requires com.github.benmanes.caffeine;
  requires dagger;
  requires jakarta.inject;
  // Dagger marks its generated classes @javax.annotation.processing.Generated (source retention)
  requires static java.compiler;

  exports io.batchwise;
  exports io.batchwise.config;
  exports io.batchwise.discovery;
  exports io.batchwise.index;
  exports io.batchwise.io;
  exports io.batchwise.map;
  exports io.batchwise.meters;
  exports io.batchwise.scheduler;
  exports io.batchwise.spi;
  exports io.batchwise.tokenizer;

  // FactoryRegistry loads each of these
  uses io.batchwise.spi.EmbeddingProviderFactory;
  uses io.batchwise.spi.TokenizerFactory;
  uses io.batchwise.spi.CacheFactory;
  uses io.batchwise.spi.CallPacerFactory;
  uses io.batchwise.scheduler.SchedulerFactory;
  uses io.batchwise.map.MapperFactory;

  provides io.batchwise.scheduler.SchedulerFactory with
      io.batchwise.internal.scheduler.LocalSchedulerFactory;
  provides io.batchwise.spi.CacheFactory with
      io.batchwise.internal.discovery.NoCacheFactory;
  provides io.batchwise.spi.CallPacerFactory with
      io.batchwise.internal.scheduler.LocalPacerFactory;
}
