package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.CacheUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a remote or on-disk store's outage from failing the work that uses it.
 *
 * <p>Lookups that fail are misses and stores that fail are dropped; each failure is counted in
 * {@code batchwise.cache.errors} ({@code failure} or {@code timeout}). After
 * {@code cache.breaker.failure-threshold} consecutive failures a {@link CircuitBreaker} opens: for
 * {@code cache.breaker.cool-down} no call is made at all (counted as {@code rejected}), then one probe
 * call decides between closing and another cool-down. Each transition is logged once: a warning when
 * the breaker opens, information when it probes and when it closes. Single failures are logged at
 * debug level.
 *
 * <p>Invalidation ({@link #delete}, {@link #deleteByPrefix}, {@link #clear}) is an explicit request
 * whose silent loss would leave stale entries, so it throws {@link CacheUnavailableException}
 * instead.
 */
final class GuardedByteStore implements ByteStore {
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
   */
  GuardedByteStore(ByteStore delegate, String description, int failureThreshold, Duration coolDown,
      Ticker ticker, CacheMetrics metrics) {
    this.delegate = delegate;
    this.description = description;
    this.metrics = metrics;
    this.coolDown = coolDown;
    this.breaker = new CircuitBreaker(failureThreshold, coolDown, ticker, this::logTransition);
  }

  private void logTransition(CircuitBreaker.State from, CircuitBreaker.State to, Throwable cause) {
    switch (to) {
      case OPEN:
        LOG.warn("{} is unavailable ({}); lookups are misses and stores are dropped for {} before"
                + " it is probed again", description, describe(cause), coolDown);
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

  /** How logs name the store, without secrets. */
  String description() {
    return description;
  }

  /** The breaker's state, for tests and diagnostics. */
  CircuitBreaker.State breakerState() {
    return breaker.state();
  }

  ByteStore delegate() {
    return delegate;
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
      CaffeineByteStore.requirePositive(ttl);
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
    Stores.requirePrefix(prefix);
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
          "the " + what + " was not sent: " + description + " is unavailable (circuit breaker open"
              + " for " + coolDown + " after repeated failures)", null);
    }
    try {
      action.run();
      breaker.onSuccess();
    } catch (RuntimeException e) {
      failed(what, e);
      throw new CacheUnavailableException("the " + what + " failed: " + description + ": "
          + describe(e), e);
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

  static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
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
