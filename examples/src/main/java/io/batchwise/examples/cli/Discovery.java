package io.batchwise.examples.cli;

import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.map.MapperFactory;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.TokenizerFactory;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The factories on the classpath, found exactly as Batchwise itself finds them (core's {@link
 * FactoryRegistry}: {@link ServiceLoader} over core's class loader and the thread's context class
 * loader, which holds the jars of {@code --classpath}). A factory that fails to load is reported
 * once and left out.
 */
final class Discovery {
  private Discovery() {}

  static List<EmbeddingProviderFactory> providers() {
    return sorted(EmbeddingProviderFactory.class, EmbeddingProviderFactory::id);
  }

  static List<TokenizerFactory> tokenizers() {
    return sorted(TokenizerFactory.class, TokenizerFactory::id);
  }

  static List<CacheFactory> caches() {
    return sorted(CacheFactory.class, CacheFactory::id);
  }

  static List<SchedulerFactory> schedulers() {
    return sorted(SchedulerFactory.class, SchedulerFactory::id);
  }

  static List<MapperFactory> mappers() {
    return sorted(MapperFactory.class, MapperFactory::id);
  }

  static Optional<MapperFactory> mapper(String id) {
    return mappers().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  static Optional<EmbeddingProviderFactory> provider(String id) {
    return providers().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  static Optional<CacheFactory> cache(String id) {
    return caches().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  private static <F> List<F> sorted(Class<F> type, Function<F, String> id) {
    return FactoryRegistry.of(type).all().stream().sorted(Comparator.comparing(id)).toList();
  }
}
