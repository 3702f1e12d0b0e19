package io.batchwise.spi;

import java.util.Objects;

/**
 * What a cache knows about its backend without calling it, for health checks: the state of the
 * circuit breaker in front of the backend, and what the backend is. Immutable.
 *
 * <p>An open breaker never fails an embed: while it is open, lookups count as misses and stores are
 * dropped, so embeds go on at the cost of calling the provider for what the cache would have held.
 *
 * @param breaker the breaker's state
 * @param backend what the backend is, for people (e.g. {@code SQLite cache
 *     /var/cache/batchwise.db}); it never holds a secret
 */
public record CacheHealth(Breaker breaker, String backend) {

  /** The states of a cache's circuit breaker. */
  public enum Breaker {
    /** The cache has no breaker: it holds entries in memory, or holds nothing. */
    NONE,
    /** Calls reach the backend. */
    CLOSED,
    /**
     * After consecutive failures the backend is left alone: lookups miss and stores are dropped. It
     * stays open until a call after the cool-down probes the backend.
     */
    OPEN,
    /** One probe call is in flight; its outcome closes the breaker or opens it again. */
    HALF_OPEN
  }

  /** Checks that neither part is null. */
  public CacheHealth {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(backend, "backend");
  }
}
