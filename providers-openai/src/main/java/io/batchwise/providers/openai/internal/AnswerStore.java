package io.batchwise.providers.openai.internal;

import io.batchwise.spi.EmbeddingCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the mapper keeps answers between runs: the instance's cache when it is built on a byte
 * store (every cache of {@code batchwise-cache}: Caffeine, SQLite, Redis, tiered), else nowhere.
 *
 * <p>An answer is keyed by its scope (everything but the item that decides it: endpoint, model,
 * instruction, schema, sampling) and the item's text. A lookup that misses hands the caller a
 * future to complete; a completed answer is stored at once, a failed one not at all.
 */
interface AnswerStore {
  /** Remembers nothing: every lookup is a miss. */
  AnswerStore NONE = (scope, item, onMiss) -> new Lookup(onMiss.get(), true);

  /**
   * One item's lookup.
   *
   * @param answer completes with the answer: at once for a hit, when the miss's computation
   *     completes (its own, or another caller's computing the same key) otherwise
   * @param led whether this lookup missed and its caller must compute the answer (complete the
   *     future {@code onMiss} gave)
   */
  record Lookup(CompletableFuture<String> answer, boolean led) {}

  /**
   * Looks an answer up.
   *
   * @param scope the digest of what decides an answer besides the item
   * @param item the item's text
   * @param onMiss on a miss this caller leads, makes the future the caller will complete; its value
   *     is stored when it completes
   * @return the lookup
   */
  Lookup lookup(String scope, String item, Supplier<CompletableFuture<String>> onMiss);

  /**
   * The store over an instance's cache.
   *
   * @param cache the instance's cache
   * @param registry where the store's hits, misses and errors are recorded
   * @return a store over the cache's byte store, or {@link #NONE} when the cache has none
   */
  static AnswerStore over(EmbeddingCache cache, MeterRegistry registry) {
    return Support.over(cache, registry);
  }

  /** Keeps the optional cache module's classes out of reach unless it is on the class path. */
  final class Support {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerStore.class);
    private static final boolean CACHE_MODULE = present("io.batchwise.cache.LoadingEmbeddingCache");

    private Support() {}

    static AnswerStore over(EmbeddingCache cache, MeterRegistry registry) {
      if (cache == EmbeddingCache.none()) {
        return NONE;
      }
      if (CACHE_MODULE && MemoAnswerStore.accepts(cache)) {
        return MemoAnswerStore.over(cache, registry);
      }
      LOG.info(
          "the mapper's answers are not cached: the cache {} is not built on a byte store",
          cache.getClass().getName());
      return NONE;
    }

    private static boolean present(String className) {
      try {
        Class.forName(className, false, AnswerStore.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
  }
}
