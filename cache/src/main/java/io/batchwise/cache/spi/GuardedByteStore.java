package io.batchwise.cache.spi;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheOptions;
import io.batchwise.cache.CacheUnavailableException;
import io.batchwise.config.Config;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a remote or on-disk store's outage from failing the work that uses it.
 *
 * <p>Lookups that fail are misses and stores that fail are dropped; each failure is counted in
 * {@code batchwise.cache.errors} ({@code failure} or {@code timeout}). After {@code
 * cache.breaker.failure-threshold} consecutive failures a {@link CircuitBreaker} opens: for {@code
 * cache.breaker.cool-down} no call is made at all (counted as {@code rejected}), then one probe
 * call decides between closing and another cool-down. Each transition is logged once: a warning
 * when the breaker opens, information when it probes and when it closes. Single failures are logged
 * at debug level.
 *
 * <p>Invalidation ({@link #delete}, {@link #deleteByPrefix}, {@link #clear}) is an explicit request
 * whose silent loss would leave stale entries, so it throws {@link CacheUnavailableException}
 * instead.
 *
 * <p>A backend module wraps its store in one ({@link #guard}) so that {@code cache.breaker.*}
 * apply; a store that a {@link io.batchwise.cache.ByteStoreFactory} returns unguarded is guarded
 * with the default breaker when a view is made over it. Thread-safe when the delegate is.
 *
 * <pre>{@code
 * ByteStore store = GuardedByteStore.guard(() -> new MyStore(...), "my cache at host:1234", config, registry);
 * }</pre>
 */
public final class GuardedByteStore implements ByteStore {
  private static final Logger LOG = LoggerFactory.getLogger(GuardedByteStore.class);

  private final ByteStore delegate;
  private final String description;
  private final CacheMetrics metrics;
  private final CircuitBreaker breaker;
  private final Duration coolDown;

  /**
   * Guards a store.
   *
   * @param delegate the store
   * @param description how logs name it, without secrets, e.g. {@code redis cache at host:6379}
   * @param failureThreshold consecutive failures that open the breaker
   * @param coolDown how long it stays open
   * @param ticker the breaker's clock
   * @param metrics where errors are counted
   * @throws IllegalArgumentException when the threshold is below 1
   */
  public GuardedByteStore(
      ByteStore delegate,
      String description,
      int failureThreshold,
      Duration coolDown,
      Ticker ticker,
      CacheMetrics metrics) {
    this.delegate = delegate;
    this.description = description;
    this.metrics = metrics;
    this.coolDown = coolDown;
    this.breaker = new CircuitBreaker(failureThreshold, coolDown, ticker, this::logTransition);
  }

  /**
   * Opens a store and guards it with the breaker that {@code cache.breaker.failure-threshold} and
   * {@code cache.breaker.cool-down} configure (their defaults unless set), counting errors under
   * the store's id. The options are read first, so a bad one fails before anything is opened.
   *
   * @param opener opens the store
   * @param description how logs name it, without secrets, e.g. {@code SQLite cache /data/cache.db}
   * @param config the configuration
   * @param registry where errors are counted
   * @return the guarded store, which closes the opened store when closed
   * @throws io.batchwise.config.ConfigurationException when a breaker option is invalid
   */
  public static GuardedByteStore guard(
      Supplier<? extends ByteStore> opener,
      String description,
      Config config,
      MeterRegistry registry) {
    int threshold = config.get(CacheOptions.BREAKER_FAILURE_THRESHOLD);
    Duration coolDown = config.get(CacheOptions.BREAKER_COOL_DOWN);
    ByteStore store = opener.get();
    return new GuardedByteStore(
        store,
        description,
        threshold,
        coolDown,
        Ticker.systemTicker(),
        new CacheMetrics(registry, store.id()));
  }

  /**
   * Guards a store with the default breaker (3 failures, 30 s).
   *
   * @param store the store
   * @param description how logs name it, without secrets
   * @param registry where errors are counted
   * @return the guarded store, which closes {@code store} when closed
   */
  public static GuardedByteStore guard(
      ByteStore store, String description, MeterRegistry registry) {
    return new GuardedByteStore(
        store,
        description,
        CacheOptions.BREAKER_FAILURE_THRESHOLD.defaultValue().orElseThrow(),
        CacheOptions.BREAKER_COOL_DOWN.defaultValue().orElseThrow(),
        Ticker.systemTicker(),
        new CacheMetrics(registry, store.id()));
  }

  private void logTransition(CircuitBreaker.State from, CircuitBreaker.State to, Throwable cause) {
    switch (to) {
      case OPEN:
        LOG.warn(
            "{} is unavailable ({}); lookups are misses and stores are dropped for {} before"
                + " it is probed again",
            description,
            describe(cause),
            coolDown);
        break;
      case HALF_OPEN:
        LOG.info("{}: probing whether it is back", description);
        break;
      case CLOSED:
      default:
        LOG.info("{} is back; caching resumes", description);
        break;
    }
  }

  private static String describe(Throwable cause) {
    if (cause == null) {
      return "no cause";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public String id() {
    return delegate.id();
  }

  /**
   * How logs name the store, without secrets.
   *
   * @return the description
   */
  public String description() {
    return description;
  }

  /**
   * The breaker's state, for diagnostics and tests.
   *
   * @return the state
   */
  public CircuitBreaker.State breakerState() {
    return breaker.state();
  }

  @Override
  public Map<String, byte[]> getAll(Collection<String> keys) {
    if (keys.isEmpty()) {
      return Map.of();
    }
    if (!breaker.tryAcquire()) {
      metrics.rejected();
      return Map.of();
    }
    try {
      Map<String, byte[]> found = delegate.getAll(keys);
      breaker.onSuccess();
      return found;
    } catch (RuntimeException e) {
      failed("lookup of " + keys.size() + " keys", e);
      return Map.of();
    } catch (Error e) {
      breaker.onFailure(e); // release a half-open probe before the error propagates
      throw e;
    }
  }

  @Override
  public void putAll(Map<String, byte[]> entries, Duration ttl) {
    if (ttl != null) {
      StoreArguments.requirePositiveTtl(ttl);
    }
    if (entries.isEmpty()) {
      return;
    }
    if (!breaker.tryAcquire()) {
      metrics.rejected();
      return;
    }
    try {
      delegate.putAll(entries, ttl);
      breaker.onSuccess();
    } catch (RuntimeException e) {
      failed("store of " + entries.size() + " values", e);
    } catch (Error e) {
      breaker.onFailure(e);
      throw e;
    }
  }

  @Override
  public void delete(Collection<String> keys) {
    invalidation("delete of " + keys.size() + " keys", () -> delegate.delete(keys));
  }

  @Override
  public void deleteByPrefix(String prefix) {
    StoreArguments.requireKeyPrefix(prefix);
    invalidation("delete by prefix", () -> delegate.deleteByPrefix(prefix));
  }

  @Override
  public void clear() {
    invalidation("clear", delegate::clear);
  }

  private void invalidation(String what, Runnable action) {
    if (!breaker.tryAcquire()) {
      metrics.rejected();
      throw new CacheUnavailableException(
          "the "
              + what
              + " was not sent: "
              + description
              + " is unavailable (circuit breaker open"
              + " for "
              + coolDown
              + " after repeated failures)",
          null);
    }
    try {
      action.run();
      breaker.onSuccess();
    } catch (RuntimeException e) {
      failed(what, e);
      throw new CacheUnavailableException(
          "the " + what + " failed: " + description + ": " + describe(e), e);
    } catch (Error e) {
      breaker.onFailure(e);
      throw e;
    }
  }

  private void failed(String what, RuntimeException e) {
    boolean timeout = isTimeout(e);
    metrics.failure(timeout);
    LOG.debug("{}: {} failed ({})", description, what, timeout ? "timeout" : "error", e);
    breaker.onFailure(e);
  }

  /**
   * Whether a failure is a timeout: a {@link TimeoutException}, a {@link SocketTimeoutException} or
   * any exception whose class name ends in {@code TimeoutException} (a client library's own) in the
   * cause chain.
   *
   * @param e the failure
   * @return whether it or a cause is a timeout
   */
  public static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException
          || t instanceof SocketTimeoutException
          || t.getClass().getSimpleName().endsWith("TimeoutException")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "GuardedByteStore{" + description + ", " + breaker + "}";
  }
}
