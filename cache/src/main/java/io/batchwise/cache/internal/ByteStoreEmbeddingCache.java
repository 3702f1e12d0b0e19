package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.ValueCodec;
import io.batchwise.spi.CacheKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The embedding cache: float vectors by {@link CacheKey} on a {@link ByteStore}.
 *
 * <p>Store keys are {@code emb:<namespace>:<text hash>}, so {@link #invalidateNamespace} is a prefix
 * deletion and {@link #clear()} removes the embeddings but not a memoizer's entries in the same
 * store. Lookups and stores never throw for backend trouble (the store is guarded); invalidations
 * do.
 */
final class ByteStoreEmbeddingCache implements LoadingEmbeddingCache {
  /** The key space of embeddings within a store. */
  static final String PREFIX = "emb:";
  /** Namespaces in use; more than this many (a misuse) and prefixes are built per lookup. */
  private static final int MAX_CACHED_PREFIXES = 1024;

  private final ByteStore store;
  private final TypedStore<float[]> vectors;
  private final CacheMetrics metrics;
  private final SingleFlight<CacheKey, float[]> flights = new SingleFlight<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.concurrent.ConcurrentHashMap<String, String> prefixes =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** {@code emb:<namespace>:} (one shared instance per namespace) and the text hash. */
  private final KeyParts<CacheKey> parts = new KeyParts<>() {
    @Override
    public String prefix(CacheKey key) {
      return namespacePrefix(key.namespace());
    }

    @Override
    public String suffix(CacheKey key) {
      return key.textHash();
    }

    @Override
    public Object memoryKey(CacheKey key) {
      return MemoryKeys.of(key);
    }

    @Override
    public boolean areMemoryKeys(Collection<CacheKey> keys) {
      for (CacheKey k : keys) {
        if (MemoryKeys.of(k) != k) {
          return false;
        }
      }
      return true;
    }
  };

  ByteStoreEmbeddingCache(ByteStore store, ValueCodec<float[]> codec, CacheMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.vectors = TypedStore.over(store, codec, metrics);
    this.metrics = metrics;
  }

  static String storeKey(CacheKey key) {
    return PREFIX + key.namespace() + ':' + key.textHash();
  }

  /** The last namespace looked up and its prefix: nearly every lookup repeats it. */
  private volatile String[] lastPrefix = {"", PREFIX + ':'};

  private String namespacePrefix(String namespace) {
    String[] last = lastPrefix;
    if (last[0] == namespace) {
      return last[1];
    }
    String p = prefixes.get(namespace);
    if (p == null) {
      p = PREFIX + namespace + ':';
      if (prefixes.size() < MAX_CACHED_PREFIXES) {
        String raced = prefixes.putIfAbsent(namespace, p);
        p = raced == null ? p : raced;
      }
    }
    lastPrefix = new String[] {namespace, p};
    return p;
  }

  @Override
  public Map<CacheKey, float[]> getAll(Collection<CacheKey> keys) {
    long start = System.nanoTime();
    Map<CacheKey, float[]> found = lookup(keys);
    metrics.lookupNanos(System.nanoTime() - start);
    metrics.hits(found.size());
    metrics.misses(keys.size() - found.size());
    return found;
  }

  private Map<CacheKey, float[]> lookup(Collection<CacheKey> keys) {
    return vectors.getAll(keys, parts);
  }

  @Override
  public void putAll(Map<CacheKey, float[]> entries) {
    if (entries.isEmpty()) {
      return;
    }
    entries.forEach((key, vector) -> {
      if (vector == null) {
        throw new NullPointerException("the vector of " + key + " is null");
      }
    });
    vectors.putAll(entries, parts, null);
    metrics.puts(entries.size());
  }

  @Override
  public CompletableFuture<Map<CacheKey, float[]>> getAllOrCompute(
      Collection<CacheKey> keys,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    Objects.requireNonNull(compute, "compute");
    Set<CacheKey> wanted = new LinkedHashSet<>(keys);
    Map<CacheKey, float[]> hits = getAll(wanted);
    if (hits.size() == wanted.size()) {
      return CompletableFuture.completedFuture(hits);
    }
    Map<CacheKey, float[]> result = new HashMap<>(hits); // getAll's map may be read-only
    List<CacheKey> missing = new ArrayList<>(wanted.size() - result.size());
    for (CacheKey k : wanted) {
      if (!result.containsKey(k)) {
        missing.add(k);
      }
    }
    SingleFlight.Claim<CacheKey, float[]> claim = flights.claim(missing);
    CompletableFuture<Map<CacheKey, float[]>> led = lead(claim.led(), compute);
    CompletableFuture<Map<CacheKey, float[]>> followed = follow(claim.followed(), compute);
    return led.thenCombine(followed, (a, b) -> {
      result.putAll(a);
      result.putAll(b);
      return result;
    });
  }

  /** Computes the keys this call leads, after one more look at the store (another caller may have just stored them). */
  private CompletableFuture<Map<CacheKey, float[]>> lead(
      Map<CacheKey, SingleFlight.Flight<float[]>> led,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    if (led.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    Map<CacheKey, float[]> late;
    try {
      late = lookup(led.keySet());
    } catch (RuntimeException e) {
      late = Map.of(); // the guarded store does not throw, but a custom one might: then compute
    }
    Map<CacheKey, float[]> done = new HashMap<>(late);
    Set<CacheKey> toCompute = new LinkedHashSet<>();
    for (Map.Entry<CacheKey, SingleFlight.Flight<float[]>> e : led.entrySet()) {
      float[] v = late.get(e.getKey());
      if (v != null) {
        flights.land(e.getKey(), e.getValue(), v);
      } else {
        toCompute.add(e.getKey());
      }
    }
    if (toCompute.isEmpty()) {
      return CompletableFuture.completedFuture(done);
    }
    return computeAndStore(toCompute, compute).handle((computed, failure) -> {
      for (CacheKey k : toCompute) {
        SingleFlight.Flight<float[]> flight = led.get(k);
        if (failure != null) {
          flights.crash(k, flight, failure);
        } else {
          flights.land(k, flight, computed.get(k));
        }
      }
      if (failure != null) {
        throw Stores.asCompletionException(failure);
      }
      done.putAll(computed);
      return done;
    });
  }

  /** Waits for other callers' flights; computes itself whatever they failed to produce. */
  private CompletableFuture<Map<CacheKey, float[]>> follow(
      Map<CacheKey, SingleFlight.Flight<float[]>> followed,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    if (followed.isEmpty()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    Map<CacheKey, CompletableFuture<float[]>> waits = new HashMap<>();
    followed.forEach((k, flight) -> waits.put(k, flight.result().handle((v, failure) -> v)));
    return CompletableFuture.allOf(waits.values().toArray(new CompletableFuture<?>[0]))
        .thenCompose(ignored -> {
          Map<CacheKey, float[]> got = new HashMap<>();
          Set<CacheKey> orphans = new LinkedHashSet<>();
          waits.forEach((k, f) -> {
            float[] v = f.join();
            if (v != null) {
              got.put(k, v);
            } else {
              orphans.add(k);
            }
          });
          if (orphans.isEmpty()) {
            return CompletableFuture.completedFuture(got);
          }
          return computeAndStore(orphans, compute).thenApply(computed -> {
            got.putAll(computed);
            return got;
          });
        });
  }

  /** Runs {@code compute}, keeps only asked-for keys with vectors, stores them, times the load. */
  private CompletableFuture<Map<CacheKey, float[]>> computeAndStore(
      Set<CacheKey> keys,
      Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute) {
    long start = System.nanoTime();
    CompletableFuture<Map<CacheKey, float[]>> computing;
    try {
      computing = Objects.requireNonNull(
          compute.apply(java.util.Collections.unmodifiableSet(keys)), "compute returned null");
    } catch (RuntimeException | Error e) {
      computing = CompletableFuture.failedFuture(e);
    }
    return computing.handle((computed, failure) -> {
      metrics.loadNanos(System.nanoTime() - start, failure == null && computed != null);
      if (failure != null) {
        throw Stores.asCompletionException(failure);
      }
      if (computed == null) {
        throw new java.util.concurrent.CompletionException(
            new NullPointerException("compute completed with null instead of a map"));
      }
      Map<CacheKey, float[]> kept = new HashMap<>();
      for (CacheKey k : keys) {
        float[] v = computed.get(k);
        if (v != null) {
          kept.put(k, v);
        }
      }
      putAll(kept);
      return kept;
    });
  }

  @Override
  public void invalidate(CacheKey key) {
    store.delete(List.of(storeKey(key)));
  }

  @Override
  public void invalidateNamespace(String namespace) {
    Objects.requireNonNull(namespace, "namespace");
    store.deleteByPrefix(PREFIX + namespace + ':');
  }

  @Override
  public void clear() {
    store.deleteByPrefix(PREFIX);
  }

  @Override
  public ByteStore store() {
    return store;
  }

  /** Keys being computed now, for tests. */
  int inFlight() {
    return flights.inFlight();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      store.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddingCache{" + store + "}";
  }
}
