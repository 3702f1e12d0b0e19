package io.batchwise.examples.cli;

import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CacheFactory;
import io.batchwise.spi.EmbeddingProviderFactory;
import io.batchwise.spi.TokenizerFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The factories on the classpath, found as Batchwise itself finds them: through
 * {@link ServiceLoader}. A factory that fails to load is left out here; {@code Batchwise.build()}
 * reports it.
 */
final class Discovery {
  private Discovery() {}

  static List<EmbeddingProviderFactory> providers() {
    return load(EmbeddingProviderFactory.class, EmbeddingProviderFactory::id);
  }

  static List<TokenizerFactory> tokenizers() {
    return load(TokenizerFactory.class, TokenizerFactory::id);
  }

  static List<CacheFactory> caches() {
    return load(CacheFactory.class, CacheFactory::id);
  }

  static List<SchedulerFactory> schedulers() {
    return load(SchedulerFactory.class, SchedulerFactory::id);
  }

  static Optional<EmbeddingProviderFactory> provider(String id) {
    return providers().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  static Optional<CacheFactory> cache(String id) {
    return caches().stream().filter(f -> f.id().equals(id)).findFirst();
  }

  private static <F> List<F> load(Class<F> type, Function<F, String> id) {
    List<F> found = new ArrayList<>();
    var it = ServiceLoader.load(type, Discovery.class.getClassLoader()).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        // a broken factory: Batchwise.build() logs it; a listing shows what works
      }
    }
    found.sort(Comparator.comparing(id));
    return found;
  }
}
