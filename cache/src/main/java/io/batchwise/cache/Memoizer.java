package io.batchwise.cache;

import com.github.benmanes.caffeine.cache.Ticker;
import io.batchwise.cache.internal.Memoizers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Caches the results of any function, or of the {@link Cached} methods of any interface, in memory
 * and optionally on a shared {@link ByteStore} (Caffeine, SQLite, Redis, tiered — the same backends
 * as the embedding cache).
 *
 * <h2>Keys</h2>
 *
 * A result's key is {@code memo:<h>:<a>}, where {@code h} is the first 16 hex digits of the SHA-256
 * of the function's identity — the name given to {@link #memoize}, or for a {@link Cached} method
 * its {@link Cached#name()} or else its full signature ({@code
 * com.acme.Summarizer#summarize(java.lang.String,int)java.lang.String}) — and {@code a} is the
 * SHA-256 of a canonical encoding of the arguments: a version byte, the argument count, then each
 * argument as a type tag and its content. Strings, boxed primitives, {@code BigInteger}, {@code
 * BigDecimal}, enums, {@code UUID}, {@code URI}, {@code java.time} values, {@code Optional},
 * arrays, lists, sets and maps (order-independent), records and {@link StableKey}s are encoded;
 * anything else is refused with an {@link IllegalArgumentException} naming the argument. Keys are
 * therefore equal across runs and machines, and functions sharing a backend share results exactly
 * when their identities are equal.
 *
 * <h2>Values</h2>
 *
 * Values go to the backend through a {@link ValueCodec} inside a checksummed frame. The default
 * codec is {@link ValueCodec#javaSerialization(Class, String...) Java serialization} behind an
 * allow-list filter ({@code java.base}, the result type's package, the proxied interface's package
 * and {@link Builder#allowPackages}); pass another codec for other formats. The in-memory front
 * holds results as returned — do not mutate them. Null results and exceptions are not cached.
 *
 * <h2>Concurrency</h2>
 *
 * Concurrent calls with the same arguments in one JVM compute once and share the outcome. A
 * function that calls itself with the same arguments fails fast instead of deadlocking.
 *
 * <pre>{@code
 * Memoizer memoizer = Memoizer.builder().store(cache.store()).meterRegistry(registry).build();
 * MemoizedFunction<String, String> summary =
 *     memoizer.memoize("summary-v2", String.class, this::summarize);
 * Summarizer cached = memoizer.proxy(Summarizer.class, new RemoteSummarizer());
 * }</pre>
 *
 * <p>Thread-safe. The memoizer does not own its store: close the store yourself.
 */
public final class Memoizer {
  /** The in-memory bound of a function when none is given. */
  public static final long DEFAULT_MAX_SIZE = 10_000;

  private final ByteStore store;
  private final MeterRegistry registry;
  private final List<String> allowedPackages;
  private final Ticker ticker;

  private Memoizer(Builder b) {
    this.store = b.store == null ? null : Memoizers.guard(b.store, b.registry);
    this.registry = b.registry;
    this.allowedPackages = List.copyOf(b.allowedPackages);
    this.ticker = b.ticker;
  }

  /**
   * A builder: no store (memory only), no meters, the default codec.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Memoizes {@code function} with Java serialization for the backend, no ttl and the default
   * in-memory bound.
   *
   * @param name the function's identity: functions with equal names share results
   * @param type the result type, for the codec's allow-list
   * @param function the function
   * @param <K> the argument type
   * @param <V> the result type
   * @return the memoized function
   */
  public <K, V extends Serializable> MemoizedFunction<K, V> memoize(
      String name, Class<V> type, Function<K, V> function) {
    return memoize(name, function, defaultCodec(type), null, -1);
  }

  /**
   * Memoizes {@code function}.
   *
   * @param name the function's identity: functions with equal names share results
   * @param function the function
   * @param codec how results are stored in the backend
   * @param ttl how long results live, or null for the backend's default (and no in-memory expiry)
   * @param maxSize the most results kept in memory; -1 for {@link #DEFAULT_MAX_SIZE}, 0 for none
   *     (needs a store)
   * @param <K> the argument type
   * @param <V> the result type
   * @return the memoized function
   * @throws IllegalArgumentException when {@code maxSize} or {@code ttl} is invalid
   */
  public <K, V> MemoizedFunction<K, V> memoize(
      String name, Function<K, V> function, ValueCodec<V> codec, Duration ttl, long maxSize) {
    Objects.requireNonNull(function, "function");
    return Memoizers.function(
        name, function, store, codec, ttl, size(name, maxSize), registry, ticker);
  }

  /**
   * Memoizes an asynchronous function: its completed values are cached.
   *
   * @param name the function's identity
   * @param function the function
   * @param codec how results are stored in the backend
   * @param ttl how long results live, or null for the backend's default
   * @param maxSize the most results kept in memory; -1 for {@link #DEFAULT_MAX_SIZE}, 0 for none
   * @param <K> the argument type
   * @param <V> the result type
   * @return the memoized function
   * @throws IllegalArgumentException when {@code maxSize} or {@code ttl} is invalid
   */
  public <K, V> AsyncMemoizedFunction<K, V> memoizeAsync(
      String name,
      Function<K, CompletableFuture<V>> function,
      ValueCodec<V> codec,
      Duration ttl,
      long maxSize) {
    Objects.requireNonNull(function, "function");
    return Memoizers.asyncFunction(
        name, function, store, codec, ttl, size(name, maxSize), registry, ticker);
  }

  /**
   * Memoizes an agent of the scheduler: items it has already processed (by a stable key of the
   * item) are answered from the cache, and only the rest of each batch goes to {@code agent}, as
   * one smaller batch. Failed items are not cached. The per-item lookups are single-flight, so two
   * jobs running the same item at once process it once.
   *
   * <pre>{@code
   * Agent<String, Summary> once = memoizer.memoizeAgent("summarize-v1", summarizer, codec, null, -1);
   * scheduler.submit(documents, once, JobOptions.defaults());   // a rerun skips what is done
   * }</pre>
   *
   * @param name the agent's identity: agents with equal names share results
   * @param agent the agent
   * @param codec how outputs are stored in the backend
   * @param ttl how long outputs live, or null for the backend's default
   * @param maxSize the most outputs kept in memory; -1 for {@link #DEFAULT_MAX_SIZE}, 0 for none
   * @param <I> the item type
   * @param <O> the output type
   * @return the memoized agent
   */
  public <I, O> io.batchwise.scheduler.Agent<I, O> memoizeAgent(
      String name,
      io.batchwise.scheduler.Agent<I, O> agent,
      ValueCodec<O> codec,
      Duration ttl,
      long maxSize) {
    Objects.requireNonNull(agent, "agent");
    return new io.batchwise.cache.internal.MemoizedAgent<>(
        agent, perItem -> memoizeAsync(name, perItem, codec, ttl, maxSize));
  }

  /**
   * A proxy of {@code type} whose {@link Cached} methods are memoized and whose other methods call
   * {@code target} directly.
   *
   * @param type an interface
   * @param target the implementation to call on a miss
   * @param <T> the interface type
   * @return the proxy
   * @throws IllegalArgumentException when {@code type} is not an interface, a {@link Cached} method
   *     returns void or has an invalid ttl or maxSize
   */
  public <T> T proxy(Class<T> type, T target) {
    return Memoizers.proxy(type, target, store, allowedPackages, registry, ticker);
  }

  private static long size(String name, long maxSize) {
    if (maxSize < -1) {
      throw new IllegalArgumentException(
          name + ": maxSize must be -1 (default), 0 (none) or positive, was " + maxSize);
    }
    return maxSize == -1 ? DEFAULT_MAX_SIZE : maxSize;
  }

  private <V extends Serializable> ValueCodec<V> defaultCodec(Class<V> type) {
    return ValueCodec.javaSerialization(type, allowedPackages.toArray(new String[0]));
  }

  /** Configures a {@link Memoizer}; each option may be set once. */
  public static final class Builder {
    private ByteStore store;
    private MeterRegistry registry = new CompositeMeterRegistry();
    private final List<String> allowedPackages = new ArrayList<>();
    private Ticker ticker = Ticker.systemTicker();

    private Builder() {}

    /**
     * The backend shared with other processes or restarts, e.g. {@code cache.store()} of an
     * embedding cache, or {@link ByteStores#open}. Without one, results live only in memory.
     *
     * @param store the store; not closed by the memoizer
     * @return this builder
     */
    public Builder store(ByteStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Where hits, misses, puts, evictions, errors and load times are recorded, tagged {@code
     * cache=memo:<name>}.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Packages whose classes the default Java-serialization codec may read back, in addition to
     * {@code java.base} and the result type's package.
     *
     * @param packages package names, e.g. {@code com.acme.model}; subpackages are included
     * @return this builder
     */
    public Builder allowPackages(String... packages) {
      allowedPackages.addAll(List.of(packages));
      return this;
    }

    /**
     * The clock of in-memory expiry, for tests.
     *
     * @param ticker the ticker
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Builds the memoizer.
     *
     * @return the memoizer
     */
    public Memoizer build() {
      return new Memoizer(this);
    }
  }
}
