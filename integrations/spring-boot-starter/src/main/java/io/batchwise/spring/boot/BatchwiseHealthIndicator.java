package io.batchwise.spring.boot;

import io.batchwise.Batchwise;
import io.batchwise.config.CoreOptions;
import io.batchwise.spi.CacheHealth;
import io.batchwise.spi.EmbeddingProvider;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of a {@link Batchwise}: whether its provider is configured, and the state of its
 * cache's circuit breaker. It never calls the provider or the cache's backend, so a health probe
 * costs no request and adds no load to a struggling backend.
 *
 * <ul>
 *   <li>{@code UP}: the provider is created (its id, model and dimensions are in the details) and
 *       the cache's breaker, if it has one, is closed;
 *   <li>{@link #DEGRADED}: the cache's breaker is open or half-open. Embeds still succeed — lookups
 *       count as misses and stores are dropped — so this is not {@code DOWN}; Boot's default status
 *       order does not know it, so it does not change the aggregate status unless you add it to
 *       {@code management.endpoint.health.status.order};
 *   <li>{@code DOWN}: the provider cannot be created (an unknown id, a missing key), with the
 *       reason, which never holds a secret.
 * </ul>
 *
 * <p>Creating the provider is not calling it: the first check creates it if no embed has (the local
 * provider loads its model then). Thread-safe.
 */
public final class BatchwiseHealthIndicator implements HealthIndicator {
  /** The cache's backend is being left alone after failures; embeds go on without it. */
  public static final Status DEGRADED =
      new Status("DEGRADED", "the cache's backend is unavailable; embeds go on without it");

  private final Batchwise batchwise;

  /**
   * Reports on an instance.
   *
   * @param batchwise the instance
   */
  public BatchwiseHealthIndicator(Batchwise batchwise) {
    this.batchwise = Objects.requireNonNull(batchwise, "batchwise");
  }

  @Override
  public Health health() {
    CacheHealth cache = batchwise.cache().health();
    Health.Builder health =
        switch (cache.breaker()) {
          case OPEN, HALF_OPEN -> Health.status(DEGRADED);
          case NONE, CLOSED -> Health.up();
        };
    health
        .withDetail("cache", cache.backend())
        .withDetail("cacheBreaker", cache.breaker().name().toLowerCase(Locale.ROOT));
    EmbeddingProvider provider;
    try {
      provider = batchwise.provider();
    } catch (RuntimeException e) {
      return health
          .down()
          .withDetail("provider", batchwise.config().get(CoreOptions.PROVIDER))
          .withDetail("error", String.valueOf(e.getMessage()))
          .build();
    }
    return health
        .withDetail("provider", provider.id())
        .withDetail("model", provider.modelInfo().modelId())
        .withDetail("dimensions", provider.modelInfo().dimensions())
        .build();
  }
}
