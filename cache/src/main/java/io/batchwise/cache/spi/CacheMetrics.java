package io.batchwise.cache.spi;

import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one cache, all tagged {@code cache=<id>}:
 *
 * <ul>
 *   <li>{@link MeterNames#CACHE_HITS}, {@link MeterNames#CACHE_MISSES}: keys found or not, per key;
 *   <li>{@link MeterNames#CACHE_PUTS}: values stored, per key;
 *   <li>{@link MeterNames#CACHE_EVICTIONS}: entries evicted for size or expiry (in-memory caches),
 *       or expired rows purged (SQLite);
 *   <li>{@link MeterNames#CACHE_ERRORS}, tagged {@code outcome}: {@code failure} (the backend
 *       threw), {@code timeout} (it did not answer in time), {@code corrupt} (a value failed its
 *       checksum or did not decode; counted per value), {@code rejected} (the circuit breaker
 *       skipped the call);
 *   <li>{@link MeterNames#CACHE_LOAD}, tagged {@code outcome}: {@code lookup} times one bulk
 *       lookup; {@code success} and {@code failure} time computing missing values (memoized
 *       functions, {@code getAllOrLoad}).
 * </ul>
 *
 * <p>A backend records what only it can see (SQLite's purged rows as evictions); the views and the
 * {@link GuardedByteStore} record the rest. Thread-safe. Meters with the same id and tag are
 * shared, so several views of one store add up.
 */
public final class CacheMetrics {
  /** Error outcome: the backend threw. */
  public static final String FAILURE = "failure";

  /** Error outcome: the backend did not answer within its timeout. */
  public static final String TIMEOUT = "timeout";

  /** Error outcome: a stored value was corrupt or did not decode. */
  public static final String CORRUPT = "corrupt";

  /** Error outcome: the circuit breaker was open, so the call was not made. */
  public static final String REJECTED = "rejected";

  private final String cache;
  private final Counter hits;
  private final Counter misses;
  private final Counter puts;
  private final Counter evictions;
  private final Counter failures;
  private final Counter timeouts;
  private final Counter corrupt;
  private final Counter rejected;
  private final Timer lookups;
  private final Timer loadSuccess;
  private final Timer loadFailure;

  /**
   * Registers the meters of one cache.
   *
   * @param registry the registry
   * @param cache the {@code cache} tag
   */
  public CacheMetrics(MeterRegistry registry, String cache) {
    Objects.requireNonNull(registry, "registry");
    this.cache = Objects.requireNonNull(cache, "cache");
    hits = counter(registry, MeterNames.CACHE_HITS, "Cache lookups that found a value");
    misses = counter(registry, MeterNames.CACHE_MISSES, "Cache lookups that found nothing");
    puts = counter(registry, MeterNames.CACHE_PUTS, "Values stored in the cache");
    evictions = counter(registry, MeterNames.CACHE_EVICTIONS, "Cache entries evicted or expired");
    failures = error(registry, FAILURE);
    timeouts = error(registry, TIMEOUT);
    corrupt = error(registry, CORRUPT);
    rejected = error(registry, REJECTED);
    lookups = timer(registry, "lookup");
    loadSuccess = timer(registry, "success");
    loadFailure = timer(registry, "failure");
  }

  private Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder(name)
        .description(description)
        .tag(MeterNames.TAG_CACHE, cache)
        .register(registry);
  }

  private Counter error(MeterRegistry registry, String outcome) {
    return Counter.builder(MeterNames.CACHE_ERRORS)
        .description("Cache backend errors treated as misses or dropped stores")
        .tag(MeterNames.TAG_CACHE, cache)
        .tag(MeterNames.TAG_OUTCOME, outcome)
        .register(registry);
  }

  private Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder(MeterNames.CACHE_LOAD)
        .description("Bulk cache lookups (outcome=lookup) and computations of missing values")
        .tag(MeterNames.TAG_CACHE, cache)
        .tag(MeterNames.TAG_OUTCOME, outcome)
        .register(registry);
  }

  /**
   * The {@code cache} tag.
   *
   * @return the tag value
   */
  public String cache() {
    return cache;
  }

  /**
   * Counts keys found.
   *
   * @param n how many; nothing is recorded for 0 or less
   */
  public void hits(long n) {
    if (n > 0) {
      hits.increment(n);
    }
  }

  /**
   * Counts keys not found.
   *
   * @param n how many; nothing is recorded for 0 or less
   */
  public void misses(long n) {
    if (n > 0) {
      misses.increment(n);
    }
  }

  /**
   * Counts values stored.
   *
   * @param n how many; nothing is recorded for 0 or less
   */
  public void puts(long n) {
    if (n > 0) {
      puts.increment(n);
    }
  }

  /**
   * Counts entries evicted for size or expiry, or expired rows purged.
   *
   * @param n how many; nothing is recorded for 0 or less
   */
  public void evictions(long n) {
    if (n > 0) {
      evictions.increment(n);
    }
  }

  /**
   * Counts values that failed their checksum or did not decode.
   *
   * @param n how many; nothing is recorded for 0 or less
   */
  public void corrupt(long n) {
    if (n > 0) {
      corrupt.increment(n);
    }
  }

  /**
   * Counts one failed backend call.
   *
   * @param timeout whether it failed by not answering in time ({@code timeout}) rather than by an
   *     error ({@code failure})
   */
  public void failure(boolean timeout) {
    (timeout ? timeouts : failures).increment();
  }

  /** Counts one call the circuit breaker did not make. */
  public void rejected() {
    rejected.increment();
  }

  /**
   * Records the time of one bulk lookup.
   *
   * @param nanos its duration in nanoseconds
   */
  public void lookupNanos(long nanos) {
    lookups.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Records the time of computing missing values.
   *
   * @param nanos its duration in nanoseconds
   * @param success whether the computation succeeded
   */
  public void loadNanos(long nanos, boolean success) {
    (success ? loadSuccess : loadFailure).record(nanos, TimeUnit.NANOSECONDS);
  }
}
