package io.batchwise.internal.wiring;

import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.EmbeddingProvider;
import java.util.Optional;

/**
 * Instances the user passed to the builder instead of ids. Batchwise uses them but does not close
 * them: whoever created them owns them.
 *
 * @param provider an explicit provider, or null
 * @param cache an explicit cache, or null
 * @param scheduler an explicit scheduler, or null
 */
public record Overrides(EmbeddingProvider provider, EmbeddingCache cache, Scheduler scheduler) {
  /**
   * @return the explicit provider
   */
  public Optional<EmbeddingProvider> explicitProvider() {
    return Optional.ofNullable(provider);
  }

  /**
   * @return the explicit cache
   */
  public Optional<EmbeddingCache> explicitCache() {
    return Optional.ofNullable(cache);
  }

  /**
   * @return the explicit scheduler
   */
  public Optional<Scheduler> explicitScheduler() {
    return Optional.ofNullable(scheduler);
  }
}
