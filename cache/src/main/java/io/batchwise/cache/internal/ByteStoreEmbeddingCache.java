package io.batchwise.cache.internal;

import io.batchwise.cache.ByteStore;
import io.batchwise.cache.LoadingEmbeddingCache;
import io.batchwise.cache.ValueCodec;
import io.batchwise.cache.spi.CacheMetrics;
import io.batchwise.cache.spi.GuardedByteStore;
import io.batchwise.spi.CacheHealth;
import io.batchwise.spi.CacheKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The embedding cache: float vectors by {@link CacheKey} on a {@link ByteStore}.
 *
 * <p>Store keys are {@code emb:<namespace>:<text hash>}, so {@link #invalidateNamespace} is a
 * prefix deletion and {@link #clear()} removes the embeddings but not a memoizer's entries in the
 * same store. Lookups and stores never throw for backend trouble (the store is guarded);
 * invalidations do.
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
  private final ConcurrentHashMap<String, String> prefixes = new ConcurrentHashMap<>();

  /** {@code emb:<namespace>:} (one shared instance per namespace) and the text hash. */
  private final KeyParts<CacheKey> parts =
      new KeyParts<>() {
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
    entries.forEach(
        (key, vector) -> {
          if (vector == null) {
            throw new NullPointerException("the vector of " + key + " is null");
          }
        });
    vectors.putAll(entries, parts, null);
    metrics.puts(entries.size());
  }

  @Override
  public CompletableFuture<Map<CacheKey, float[]>> getAllOrLoad(
      Collection<CacheKey> keys, Loader loader) {
    Objects.requireNonNull(loader, "loader");
    Set<CacheKey> wanted = new LinkedHashSet<>(keys);
    Map<CacheKey, float[]> hits = getAll(wanted);
    if (hits.size() == wanted.size()) {
      return CompletableFuture.completedFuture(hits);
    }
    // the loader may hand vectors over from several threads at once
    Map<CacheKey, float[]> result = new ConcurrentHashMap<>(hits);
    List<CacheKey> missing = new ArrayList<>(wanted.size() - result.size());
    for (CacheKey k : wanted) {
      if (!result.containsKey(k)) {
        missing.add(k);
      }
    }
    SingleFlight.Claim<CacheKey, float[]> claim = flights.claim(missing);
    CompletableFuture<Void> led = lead(claim.led(), loader, result);
    CompletableFuture<Void> followed = follow(claim.followed(), loader, result);
    return CompletableFuture.allOf(led, followed).thenApply(done -> result);
  }

  /**
   * Loads the keys this call leads, after one more look at the store (another caller may have just
   * stored them).
   */
  private CompletableFuture<Void> lead(
      Map<CacheKey, SingleFlight.Flight<float[]>> led,
      Loader loader,
      Map<CacheKey, float[]> result) {
    if (led.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<CacheKey, float[]> late;
    try {
      late = lookup(led.keySet());
    } catch (RuntimeException e) {
      late = Map.of(); // the guarded store does not throw, but a custom one might: then load
    }
    Map<CacheKey, SingleFlight.Flight<float[]>> toLoad =
        new LinkedHashMap<>(); // keeps the caller's order
    for (Map.Entry<CacheKey, SingleFlight.Flight<float[]>> e : led.entrySet()) {
      float[] v = late.get(e.getKey());
      if (v != null) {
        result.put(e.getKey(), v);
        flights.land(e.getKey(), e.getValue(), v);
      } else {
        toLoad.put(e.getKey(), e.getValue());
      }
    }
    return load(toLoad, loader, result);
  }

  /** Waits for other callers' flights; loads itself whatever they failed to produce. */
  private CompletableFuture<Void> follow(
      Map<CacheKey, SingleFlight.Flight<float[]>> followed,
      Loader loader,
      Map<CacheKey, float[]> result) {
    if (followed.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<CacheKey, CompletableFuture<float[]>> waits = new LinkedHashMap<>();
    followed.forEach((k, flight) -> waits.put(k, flight.result().handle((v, failure) -> v)));
    return CompletableFuture.allOf(waits.values().toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            ignored -> {
              Map<CacheKey, SingleFlight.Flight<float[]>> orphans = new LinkedHashMap<>();
              waits.forEach(
                  (k, f) -> {
                    float[] v = f.join();
                    if (v != null) {
                      result.put(k, v);
                    } else {
                      orphans.put(k, null); // not claimed again: a third caller may already lead it
                    }
                  });
              return load(orphans, loader, result);
            });
  }

  /**
   * Runs the loader over {@code keys}: each vector it hands over is stored at once, added to {@code
   * result} and, for a key with a flight, handed to the callers waiting for it. When loading ends,
   * the flights of keys it never produced land empty (or crash with its failure), so waiting
   * callers load those themselves.
   *
   * @param keys the keys, each with the flight this call leads, or null for none
   */
  private CompletableFuture<Void> load(
      Map<CacheKey, SingleFlight.Flight<float[]>> keys,
      Loader loader,
      Map<CacheKey, float[]> result) {
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long start = System.nanoTime();
    Set<CacheKey> landed = ConcurrentHashMap.newKeySet();
    Consumer<Map<CacheKey, float[]>> ready =
        computed -> {
          Map<CacheKey, float[]> kept = new HashMap<>();
          computed.forEach(
              (k, v) -> {
                if (v != null && keys.containsKey(k) && landed.add(k)) {
                  kept.put(k, v);
                }
              });
          if (kept.isEmpty()) {
            return;
          }
          putAll(kept);
          result.putAll(kept);
          kept.forEach(
              (k, v) -> {
                SingleFlight.Flight<float[]> flight = keys.get(k);
                if (flight != null) {
                  flights.land(k, flight, v);
                }
              });
        };
    CompletableFuture<?> loading;
    try {
      loading =
          Objects.requireNonNull(
              loader.load(Collections.unmodifiableSet(keys.keySet()), ready),
              "the loader returned null");
    } catch (RuntimeException | Error e) {
      loading = CompletableFuture.failedFuture(e);
    }
    return loading.handle(
        (done, failure) -> {
          metrics.loadNanos(System.nanoTime() - start, failure == null);
          keys.forEach(
              (k, flight) -> {
                if (flight != null && !landed.contains(k)) {
                  if (failure != null) {
                    flights.crash(k, flight, failure);
                  } else {
                    flights.land(k, flight, null);
                  }
                }
              });
          if (failure != null) {
            throw Stores.asCompletionException(failure);
          }
          return null;
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

  /**
   * The breaker of the guarded store (a tiered store's is its back's: its memory front has none).
   */
  @Override
  public CacheHealth health() {
    ByteStore backend = store instanceof TieredByteStore ? ((TieredByteStore) store).back() : store;
    if (backend instanceof GuardedByteStore) {
      GuardedByteStore guarded = (GuardedByteStore) backend;
      return new CacheHealth(
          CacheHealth.Breaker.valueOf(guarded.breakerState().name()), guarded.description());
    }
    return new CacheHealth(CacheHealth.Breaker.NONE, store.id());
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
