package io.batchwise.tokenizer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.meters.MeterNames;
import io.batchwise.spi.TokenFit;
import io.batchwise.spi.Tokenizer;
import io.batchwise.spi.TokenizerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One loaded tokenizer per model or encoding, each behind a bounded cache of token counts.
 *
 * <p>Loading a tokenizer is expensive (vocabularies, merge tables, native libraries), so {@link
 * #get(String)} creates each name once and hands out the same instance afterwards. Every tokenizer
 * handed out counts through a Caffeine cache keyed by the text, bounded by {@link
 * #DEFAULT_COUNT_CACHE_SIZE} entries unless configured, because pipelines count the same chunks
 * again and again (dedupe, budgets, retries). A cheap count (a sentence with a tiktoken encoding)
 * is cached when its text comes back rather than at first sight, so that texts never seen before
 * cost no more than counting them. {@link #countAsync} runs counting on the CPU pool so that it
 * never blocks a thread that waits on I/O. Thread-safe.
 *
 * <pre>{@code
 * Tokenizer cl100k = batchwise.tokenizers().get("cl100k_base");
 * int n = cl100k.count("Hello, world");
 * }</pre>
 */
public final class TokenizerRegistry {
  /** Count cache entries unless configured: about 8 MB for chunk-sized texts' keys. */
  public static final int DEFAULT_COUNT_CACHE_SIZE = 100_000;

  private final List<TokenizerFactory> factories;
  private final Map<String, Tokenizer> loaded = new ConcurrentHashMap<>();
  private final long countCacheSize;
  private final Executor cpuExecutor;
  private final MeterRegistry meterRegistry;

  /**
   * A registry over the tokenizer factories found by {@link ServiceLoader}.
   *
   * @param countCacheSize the most cached counts per tokenizer, 0 to disable the cache
   * @param cpuExecutor where {@link #countAsync} counts
   * @param meterRegistry where count cache hits and misses are recorded
   */
  public TokenizerRegistry(long countCacheSize, Executor cpuExecutor, MeterRegistry meterRegistry) {
    this(
        FactoryRegistry.of(TokenizerFactory.class).all(),
        countCacheSize,
        cpuExecutor,
        meterRegistry);
  }

  /**
   * A registry over explicit factories, for tests and standalone use.
   *
   * @param factories the factories to consult, in order
   * @param countCacheSize the most cached counts per tokenizer, 0 to disable
   * @param cpuExecutor where {@link #countAsync} counts
   * @param meterRegistry where count cache hits and misses are recorded
   */
  public TokenizerRegistry(
      List<TokenizerFactory> factories,
      long countCacheSize,
      Executor cpuExecutor,
      MeterRegistry meterRegistry) {
    if (countCacheSize < 0) {
      throw new IllegalArgumentException(
          "countCacheSize was " + countCacheSize + "; it must be at least 0");
    }
    this.factories = List.copyOf(factories);
    this.countCacheSize = countCacheSize;
    this.cpuExecutor = Objects.requireNonNull(cpuExecutor, "cpuExecutor");
    this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  /**
   * A registry with the default cache size, counting on the common pool and recording nowhere.
   *
   * @return a standalone registry
   */
  public static TokenizerRegistry standalone() {
    return new TokenizerRegistry(
        DEFAULT_COUNT_CACHE_SIZE, ForkJoinPool.commonPool(), new SimpleMeterRegistry());
  }

  /**
   * The tokenizer for a model or encoding name, loaded on first use and shared afterwards.
   *
   * @param name e.g. {@code cl100k_base}, {@code text-embedding-3-small}, {@code all-minilm-l6-v2}
   * @return the shared, count-cached tokenizer
   * @throws IllegalArgumentException when no factory on the classpath supports the name; the
   *     message lists the names that are available
   */
  public Tokenizer get(String name) {
    Objects.requireNonNull(name, "name");
    return loaded.computeIfAbsent(name, this::load);
  }

  /**
   * Registers an already loaded tokenizer (a provider's own) so that later lookups share it; the
   * registry wraps it with the count cache unless it is already wrapped.
   *
   * @param tokenizer the tokenizer
   * @return the shared instance for its name (the earlier one if the name was already loaded)
   */
  public Tokenizer register(Tokenizer tokenizer) {
    return loaded.computeIfAbsent(tokenizer.name(), n -> wrap(tokenizer));
  }

  /**
   * Counts tokens on the CPU pool.
   *
   * @param tokenizer the tokenizer
   * @param text the text
   * @return the count, computed off the calling thread
   */
  public CompletableFuture<Integer> countAsync(Tokenizer tokenizer, String text) {
    return CompletableFuture.supplyAsync(() -> tokenizer.count(text), cpuExecutor);
  }

  /**
   * Counts many texts on the CPU pool.
   *
   * @param tokenizer the tokenizer
   * @param texts the texts
   * @return counts in the order of {@code texts}
   */
  public CompletableFuture<int[]> countAllAsync(Tokenizer tokenizer, List<String> texts) {
    return CompletableFuture.supplyAsync(
        () -> {
          int[] counts = new int[texts.size()];
          for (int i = 0; i < counts.length; i++) {
            counts[i] = tokenizer.count(texts.get(i));
          }
          return counts;
        },
        cpuExecutor);
  }

  /**
   * The names every factory on the classpath offers, for listings.
   *
   * @return the names by factory id
   */
  public Map<String, List<String>> available() {
    Map<String, List<String>> names = new TreeMap<>();
    for (TokenizerFactory f : factories) {
      names.put(f.id(), f.names());
    }
    return names;
  }

  private Tokenizer load(String name) {
    for (TokenizerFactory f : factories) {
      if (f.supports(name)) {
        return wrap(f.create(name));
      }
    }
    List<String> known = new ArrayList<>();
    available().forEach((id, names) -> known.add(id + " " + names));
    throw new IllegalArgumentException(
        "no tokenizer for '"
            + name
            + "'; tokenizers on the classpath: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + ". Add batchwise-providers-openai for tiktoken encodings (cl100k_base, o200k_base,"
            + " p50k_base) or batchwise-providers-local for sentence-transformer models.");
  }

  private Tokenizer wrap(Tokenizer tokenizer) {
    if (countCacheSize == 0 || tokenizer instanceof CountCachingTokenizer) {
      return tokenizer;
    }
    return new CountCachingTokenizer(tokenizer, countCacheSize, meterRegistry);
  }

  /**
   * A tokenizer whose counts are answered from a bounded cache.
   *
   * <p>Caching a count costs a cache write, which is as much as counting a sentence with a tiktoken
   * encoding: caching every fresh text would make a job of texts never seen before (the common case
   * for an embed job with no repeats) count at twice the cost. So a count is cached at once only
   * when it was dear ({@link #CACHE_AT_ONCE_NANOS} or more: a long text, a native tokenizer); a
   * cheap one is cached when its text comes back. "Comes back" is answered by a fixed-size table of
   * the hashes of texts counted once, a doorkeeper in the manner of TinyLFU's: a collision only
   * makes a text cached one sighting early or late, never changes a count.
   *
   * <p>A lookup of a text never cached is a miss in a large table, and in an embed of fresh texts
   * every lookup is one: so a second table, a two-bit Bloom filter of the texts ever cached,
   * answers "never cached" first, and only a text it may hold is looked up. Its bits are never
   * cleared: an evicted text only costs the lookup it cost before.
   */
  static final class CountCachingTokenizer implements Tokenizer {
    /** A count that took at least this long is cached at once. */
    static final long CACHE_AT_ONCE_NANOS = 5_000;

    /**
     * Slots in the table of texts seen once: four per cache entry, a power of two, at most 2^20 (4
     * MB).
     */
    private static final int MAX_SEEN_SLOTS = 1 << 20;

    private final Tokenizer delegate;
    private final long size;

    /**
     * Made by the first count worth caching: a run that never counts (an embed answered from the
     * cache) does not pay for building a cache it would leave empty.
     */
    private volatile Cache<String, Integer> counts;

    private final long cacheAtOnceNanos;

    /**
     * Hashes of texts counted once and not cached; 0 is an empty slot. Races only blur who is
     * remembered.
     */
    private final AtomicIntegerArray seenOnce;

    private final int seenShift;

    /**
     * Bits of the texts ever cached, two per text; a text with either bit clear was never cached.
     */
    private final AtomicLongArray everCached;

    private final int everCachedMask;

    /** Lookups the filter answered: misses the cache's own statistics do not see. */
    private final LongAdder filteredMisses = new LongAdder();

    CountCachingTokenizer(Tokenizer delegate, long size, MeterRegistry registry) {
      this(delegate, size, registry, CACHE_AT_ONCE_NANOS);
    }

    CountCachingTokenizer(
        Tokenizer delegate, long size, MeterRegistry registry, long cacheAtOnceNanos) {
      this.delegate = delegate;
      this.cacheAtOnceNanos = cacheAtOnceNanos;
      long wanted = Math.max(2, 4 * Math.min(size, MAX_SEEN_SLOTS)); // no overflow for a huge size
      int slots = Integer.highestOneBit((int) Math.min(MAX_SEEN_SLOTS, wanted) * 2 - 1);
      this.seenOnce = new AtomicIntegerArray(slots);
      this.seenShift = Integer.SIZE - Integer.numberOfTrailingZeros(slots);
      // sixteen bits per entry of a full cache (four per doorkeeper slot): with two bits per text,
      // a text never cached is looked up for nothing about once in seventy lookups even then
      this.everCached = new AtomicLongArray(Math.max(1, slots / 16));
      this.everCachedMask = everCached.length() * Long.SIZE - 1;
      this.size = size;
      io.micrometer.core.instrument.FunctionCounter.builder(
              MeterNames.TOKENS_COUNT_CACHE_HITS, this, t -> t.stats().hitCount())
          .tag(MeterNames.TAG_TOKENIZER, delegate.name())
          .register(registry);
      io.micrometer.core.instrument.FunctionCounter.builder(
              MeterNames.TOKENS_COUNT_CACHE_MISSES,
              this,
              t -> t.stats().missCount() + filteredMisses.sum())
          .tag(MeterNames.TAG_TOKENIZER, delegate.name())
          .register(registry);
    }

    /** The cache's statistics; none before the cache is made. */
    private CacheStats stats() {
      Cache<String, Integer> c = counts;
      return c == null ? CacheStats.empty() : c.stats();
    }

    /** The cache, made on first use. */
    private Cache<String, Integer> counts() {
      Cache<String, Integer> c = counts;
      if (c == null) {
        synchronized (this) {
          c = counts;
          if (c == null) {
            // maintenance on the counting thread: on the common pool, the pool's thread fights the
            // counters for the eviction lock and makes every miss dearer, and a JDK on 2 cores has
            // a single common-pool thread that nothing in a pipeline should depend on
            c =
                Caffeine.newBuilder()
                    .maximumSize(size)
                    .executor(Runnable::run)
                    .recordStats()
                    .build();
            counts = c;
          }
        }
      }
      return c;
    }

    @Override
    public int count(String text) {
      Integer cached = lookup(text);
      if (cached != null) {
        return cached;
      }
      long start = System.nanoTime();
      int n = delegate.count(text);
      if (System.nanoTime() - start >= cacheAtOnceNanos || comesBack(text)) {
        cache(text, n);
      }
      return n;
    }

    /**
     * The cached count of {@code text}, or null; a text the filter says was never cached is not
     * looked up.
     */
    private Integer lookup(String text) {
      int hash = text.hashCode();
      if (!everCached(hash, hash * 0x9E3779B9)
          || !everCached(hash, Integer.reverse(hash) * 0x85EBCA6B)) {
        filteredMisses.increment();
        return null;
      }
      // the filter said it may have been cached: the cache exists
      return counts().getIfPresent(text);
    }

    private boolean everCached(int hash, int mixed) {
      int bit = (mixed ^ (mixed >>> 16)) & everCachedMask;
      return (everCached.getPlain(bit >>> 6) & (1L << bit)) != 0;
    }

    private void cache(String text, int n) {
      int hash = text.hashCode();
      mark(hash * 0x9E3779B9);
      mark(Integer.reverse(hash) * 0x85EBCA6B);
      counts().put(text, n);
    }

    private void mark(int mixed) {
      int bit = (mixed ^ (mixed >>> 16)) & everCachedMask;
      long mask = 1L << bit;
      int word = bit >>> 6;
      long old = everCached.get(word);
      while ((old & mask) == 0 && !everCached.compareAndSet(word, old, old | mask)) {
        old = everCached.get(word);
      }
    }

    /** Whether {@code text} was counted once before; if not, remembers that it now has been. */
    private boolean comesBack(String text) {
      int hash = text.hashCode();
      int mark = hash == 0 ? 1 : hash;
      int slot = (hash * 0x9E3779B9) >>> seenShift;
      if (seenOnce.getPlain(slot) == mark) {
        seenOnce.setPlain(slot, 0);
        return true;
      }
      seenOnce.setPlain(slot, mark);
      return false;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public int[] encode(String text) {
      return delegate.encode(text);
    }

    @Override
    public String decode(int[] tokens) {
      return delegate.decode(tokens);
    }

    @Override
    public String truncate(String text, int maxTokens) {
      return delegate.truncate(text, maxTokens);
    }

    /**
     * A text whose count is cached and within the limit fits without tokenizing; otherwise the
     * delegate fits it, and a count it finished is cached as {@link #count} would cache it.
     */
    @Override
    public TokenFit fit(String text, int maxTokens) {
      Integer cached = lookup(text);
      if (cached != null && cached <= maxTokens) {
        return TokenFit.whole(text, cached);
      }
      long start = System.nanoTime();
      TokenFit fit = delegate.fit(text, maxTokens);
      if (cached == null
          && fit.inputCounted()
          && (System.nanoTime() - start >= cacheAtOnceNanos || comesBack(text))) {
        cache(text, fit.inputTokens());
      }
      return fit;
    }

    Tokenizer delegate() {
      return delegate;
    }

    /** Whether the cache has been made, for tests. */
    boolean cacheMade() {
      return counts != null;
    }

    /** How many counts the cache holds, for tests. */
    long cachedCounts() {
      Cache<String, Integer> c = counts;
      if (c == null) {
        return 0;
      }
      c.cleanUp();
      return c.estimatedSize();
    }

    @Override
    public String toString() {
      return "CountCaching(" + delegate + ")";
    }
  }
}
