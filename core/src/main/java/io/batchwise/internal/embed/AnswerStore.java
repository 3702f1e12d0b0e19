package io.batchwise.internal.embed;

import io.batchwise.spi.CacheKey;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores one send's vectors in the cache as each provider call is answered, not when the whole
 * embed ends, so that a run killed part-way keeps every answer it received and a rerun sends only
 * the rest. A call counts as done only once its vectors are stored; a store that fails is logged
 * and never fails the call (a cache outage costs a miss later, not an input now).
 */
final class AnswerStore {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerStore.class);

  private final Consumer<Map<CacheKey, float[]>> store;
  private final Executor blocking;
  private final BooleanSupplier open;

  /**
   * @param store takes vectors by key and stores them (the cache's hand-over for this lookup)
   * @param blocking where the store runs, off the provider's threads
   * @param open false once the embedder has closed: a late answer is then not stored
   */
  AnswerStore(Consumer<Map<CacheKey, float[]>> store, Executor blocking, BooleanSupplier open) {
    this.store = store;
    this.blocking = blocking;
    this.open = open;
  }

  /**
   * Stores the vectors of one answered call, by each text's store and key.
   *
   * @param texts the call's texts
   * @param vectors their vectors, in the same order, already checked
   * @return the vectors, once stored
   */
  static CompletableFuture<List<float[]>> keep(List<PendingText> texts, List<float[]> vectors) {
    Map<AnswerStore, Map<CacheKey, float[]>> byStore = new IdentityHashMap<>(2);
    for (int i = 0; i < texts.size(); i++) {
      PendingText p = texts.get(i);
      if (p.store != null && p.key != null) {
        byStore.computeIfAbsent(p.store, s -> new HashMap<>()).put(p.key, vectors.get(i));
      }
    }
    if (byStore.isEmpty()) {
      return CompletableFuture.completedFuture(vectors);
    }
    CompletableFuture<?>[] stores = new CompletableFuture<?>[byStore.size()];
    int i = 0;
    for (Map.Entry<AnswerStore, Map<CacheKey, float[]>> e : byStore.entrySet()) {
      stores[i++] = e.getKey().store(e.getValue());
    }
    return CompletableFuture.allOf(stores).thenApply(done -> vectors);
  }

  private CompletableFuture<Void> store(Map<CacheKey, float[]> entries) {
    if (!open.getAsBoolean()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return CompletableFuture.runAsync(() -> store.accept(entries), blocking)
          .exceptionally(
              e -> {
                LOG.warn(
                    "could not cache {} vectors of an answered call: {}",
                    entries.size(),
                    e.toString());
                return null;
              });
    } catch (RejectedExecutionException e) {
      LOG.warn(
          "could not cache {} vectors of an answered call: the instance is closing",
          entries.size());
      return CompletableFuture.completedFuture(null);
    }
  }
}
