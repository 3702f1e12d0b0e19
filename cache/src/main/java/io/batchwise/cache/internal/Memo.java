package io.batchwise.cache.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.ByteStore;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache of one memoized function or method: an optional in-memory front of decoded results
 * before an optional {@link ByteStore}, single-flight computation, and the function's meters
 * (tagged {@code cache=memo:<name>}). Public for {@code io.batchwise.cache.Memoizer}; not an API.
 *
 * <p>Store keys are {@code memo:<first 16 hex digits of SHA-256(identity)>:<SHA-256 of the
 * arguments' canonical encoding>} (see {@link StableKeyEncoder}), so all results of one function
 * share a prefix and {@link #invalidateAll()} is a prefix deletion.
 *
 * @param <V> the result type
 */
public final class Memo<V> {
  private static final Logger LOG = LoggerFactory.getLogger(Memo.class);

  /** A computation that may throw anything its method declares. */
  @FunctionalInterface
  public interface Computation<T> {
    /**
     * Computes the value.
     *
     * @return the value, or null for none
     * @throws Throwable whatever the underlying method throws
     */
    T compute() throws Throwable;
  }

  private final String where;
  private final String keyPrefix;
  private final Cache<String, V> front;
  private final TypedStore<V> backend;
  private final ValueCodec<V> codec;
  private final Duration ttl;
  private final CacheMetrics metrics;
  private final SingleFlight<String, V> flights = new SingleFlight<>();
  private final AtomicBoolean encodeWarned = new AtomicBoolean();

  private Memo(
      String identity,
      String name,
      String where,
      ByteStore store,
      ValueCodec<V> codec,
      Duration ttl,
      long maxSize,
      MeterRegistry registry,
      Ticker ticker) {
    this.where = where;
    this.keyPrefix = "memo:" + StableKeyEncoder.sha256Hex(identity).substring(0, 16) + ":";
    this.codec = codec;
    this.ttl = ttl;
    this.metrics = new CacheMetrics(registry, "memo:" + name);
    this.backend = store == null ? null : TypedStore.over(store, codec, metrics);
    if (maxSize > 0) {
      Caffeine<Object, Object> b =
          Caffeine.newBuilder().maximumSize(maxSize).executor(Runnable::run).ticker(ticker);
      if (ttl != null) {
        b.expireAfterWrite(ttl);
      }
      front =
          b.<String, V>evictionListener(
                  (k, v, cause) -> {
                    if (cause.wasEvicted()) {
                      metrics.evictions(1);
                    }
                  })
              .build();
    } else {
      front = null;
    }
  }

  /**
   * Creates the cache of one function.
   *
   * @param identity what makes two functions share results (a name or a method signature)
   * @param name the short name for meters and messages
   * @param where how error messages name the function, e.g. {@code Summarizer.summarize(String)}
   * @param store the backend, or null for memory only; wrap foreign stores with a guard first
   * @param codec the codec of results in the backend
   * @param ttl how long results live, or null for the backend's default (and no expiry in memory)
   * @param maxSize the most results kept decoded in memory, 0 for none
   * @param registry where the meters go
   * @param ticker the in-memory front's clock
   * @param <V> the result type
   * @return the cache
   * @throws IllegalArgumentException when there is neither a store nor an in-memory bound, or the
   *     ttl is not positive
   */
  public static <V> Memo<V> create(
      String identity,
      String name,
      String where,
      ByteStore store,
      ValueCodec<V> codec,
      Duration ttl,
      long maxSize,
      MeterRegistry registry,
      Ticker ticker) {
    Objects.requireNonNull(identity, "identity");
    if (store == null && maxSize <= 0) {
      throw new IllegalArgumentException(
          where
              + ": maxSize "
              + maxSize
              + " needs a backend: a memoizer without a store keeps"
              + " results only in memory, so it needs a positive maxSize");
    }
    if (ttl != null && (ttl.isZero() || ttl.isNegative())) {
      throw new IllegalArgumentException(where + ": ttl must be positive, was " + ttl);
    }
    return new Memo<>(identity, name, where, store, codec, ttl, maxSize, registry, ticker);
  }

  private String keyOf(Object[] args) {
    return keyPrefix + StableKeyEncoder.hash(args, where);
  }

  /**
   * The cached result for {@code args}, computing it once (across concurrent callers) on a miss.
   *
   * @param args the arguments, the cache key
   * @param computation computes the result on a miss
   * @return the result, possibly null (not cached)
   * @throws Throwable whatever the computation throws
   */
  public V get(Object[] args, Computation<V> computation) throws Throwable {
    String key = keyOf(args);
    V cached = lookup(key, true);
    if (cached != null) {
      return cached;
    }
    SingleFlight.Claim<String, V> claim = flights.claim(List.of(key));
    SingleFlight.Flight<V> mine = claim.led().get(key);
    if (mine == null) {
      SingleFlight.Flight<V> other = claim.followed().get(key);
      if (other.ledBy(Thread.currentThread())) {
        throw new IllegalStateException(
            where
                + " called itself with the same arguments while computing them; a memoized"
                + " function must not recurse on its own key");
      }
      try {
        return other.result().join();
      } catch (CompletionException e) {
        throw e.getCause() == null ? e : e.getCause();
      }
    }
    V late = lookup(key, false);
    if (late != null) {
      flights.land(key, mine, late);
      return late;
    }
    long start = System.nanoTime();
    V value;
    try {
      value = computation.compute();
    } catch (Throwable t) {
      metrics.loadNanos(System.nanoTime() - start, false);
      flights.crash(key, mine, t);
      throw t;
    }
    metrics.loadNanos(System.nanoTime() - start, true);
    try {
      store(key, value);
    } finally {
      flights.land(key, mine, value);
    }
    return value;
  }

  /**
   * The cached result for {@code args} as a completed future, or the computation's future on a miss
   * (shared by concurrent callers), whose value is cached when it completes.
   *
   * @param args the arguments, the cache key
   * @param computation starts the computation on a miss
   * @return the future result
   */
  public CompletableFuture<V> getAsync(
      Object[] args, Computation<CompletableFuture<V>> computation) {
    String key;
    try {
      key = keyOf(args);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    V cached = lookup(key, true);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    SingleFlight.Claim<String, V> claim = flights.claim(List.of(key));
    SingleFlight.Flight<V> mine = claim.led().get(key);
    if (mine == null) {
      return claim.followed().get(key).result().copy();
    }
    V late = lookup(key, false);
    if (late != null) {
      flights.land(key, mine, late);
      return CompletableFuture.completedFuture(late);
    }
    long start = System.nanoTime();
    CompletableFuture<V> started;
    try {
      started = Objects.requireNonNull(computation.compute(), where + " returned a null future");
    } catch (Throwable t) {
      started = CompletableFuture.failedFuture(t);
    }
    return started.handle(
        (value, failure) -> {
          metrics.loadNanos(System.nanoTime() - start, failure == null);
          if (failure != null) {
            flights.crash(key, mine, failure);
            throw Stores.asCompletionException(failure);
          }
          try {
            store(key, value);
          } finally {
            flights.land(key, mine, value);
          }
          return value;
        });
  }

  /** Looks in memory, then in the backend (filling memory); counts a hit or miss when asked. */
  private V lookup(String key, boolean count) {
    V v = front == null ? null : front.getIfPresent(key);
    if (v == null && backend != null) {
      v = backendGet(key);
      if (v != null && front != null) {
        front.put(key, v);
      }
    }
    if (count) {
      if (v != null) {
        metrics.hits(1);
      } else {
        metrics.misses(1);
      }
    }
    return v;
  }

  private V backendGet(String key) {
    Object[] found = {null};
    long start = System.nanoTime();
    try {
      backend.getAll(List.of(key), KeyParts.FULL, (k, v) -> found[0] = v);
    } catch (RuntimeException e) {
      metrics.failure(GuardedByteStore.isTimeout(e));
      LOG.debug("{}: cache lookup failed; computing instead", where, e);
    }
    metrics.lookupNanos(System.nanoTime() - start);
    @SuppressWarnings("unchecked")
    V v = (V) found[0];
    return v;
  }

  private void store(String key, V value) {
    if (value == null) {
      return;
    }
    if (front != null) {
      front.put(key, codec.retainable(value));
    }
    if (backend != null) {
      try {
        backend.putAll(Map.of(key, value), KeyParts.FULL, ttl);
      } catch (IllegalArgumentException e) {
        metrics.failure(false);
        if (encodeWarned.compareAndSet(false, true)) {
          LOG.warn(
              "{}: results cannot be stored in the cache backend, so only memory (if any) holds"
                  + " them: {}",
              where,
              e.getMessage());
        }
        return;
      } catch (RuntimeException e) {
        metrics.failure(GuardedByteStore.isTimeout(e));
        LOG.debug("{}: cache store failed", where, e);
        return;
      }
    }
    metrics.puts(1);
  }

  /**
   * Removes the result for {@code args}.
   *
   * @param args the arguments
   */
  public void invalidate(Object[] args) {
    String key = keyOf(args);
    if (front != null) {
      front.invalidate(key);
    }
    if (backend != null) {
      backend.store().delete(List.of(key));
    }
  }

  /** Removes every result of this function. */
  public void invalidateAll() {
    if (front != null) {
      front.invalidateAll();
    }
    if (backend != null) {
      backend.store().deleteByPrefix(keyPrefix);
    }
  }

  @Override
  public String toString() {
    return "Memo{" + where + "}";
  }
}
