package io.batchwise.internal.embed;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Wraps the embedding of the distinct texts in the cache: one bulk lookup, the misses embedded, one
 * bulk store, through {@link EmbeddingCache#getAllOrCompute} — so a single-flight cache computes
 * concurrent identical misses once. A text whose vector this embed did not compute itself (found
 * in the cache, or computed by a concurrent embed) is marked as a cache hit. Without a cache no
 * text is hashed and the misses are simply all texts.
 */
final class CacheStage {
  private final EmbeddingCache cache;
  private final String namespace;
  private final boolean enabled;

  CacheStage(EmbeddingCache cache, String namespace) {
    this.cache = cache;
    this.namespace = namespace;
    this.enabled = cache != EmbeddingCache.none();
  }

  /**
   * Fills each text's vector from the cache or by {@code embedMisses}.
   *
   * @param texts the distinct texts
   * @param embedMisses embeds a list of misses, setting each one's vector or error
   * @return completes when every text has its vector or error
   */
  CompletableFuture<Void> lookupOrEmbed(
      List<PendingText> texts, Function<List<PendingText>, CompletableFuture<?>> embedMisses) {
    if (!enabled || texts.isEmpty()) {
      return embedMisses.apply(texts).thenApply(done -> null);
    }
    Map<CacheKey, PendingText> byKey = new HashMap<>(texts.size() * 2);
    for (PendingText p : texts) {
      p.key = CacheKey.of(namespace, p.text);
      byKey.put(p.key, p);
    }
    Function<Set<CacheKey>, CompletableFuture<Map<CacheKey, float[]>>> compute = missing -> {
      List<PendingText> misses = new ArrayList<>(missing.size());
      for (CacheKey k : missing) {
        PendingText p = byKey.get(k);
        p.computedHere = true;
        misses.add(p);
      }
      return embedMisses.apply(misses).thenApply(done -> {
        Map<CacheKey, float[]> vectors = new HashMap<>(misses.size() * 2);
        for (PendingText p : misses) {
          if (p.vector != null) {
            vectors.put(p.key, p.vector);
          }
        }
        return vectors;
      });
    };
    return cache.getAllOrCompute(byKey.keySet(), compute).thenApply(found -> {
      for (PendingText p : texts) {
        if (!p.computedHere) {
          p.vector = found.get(p.key);
          p.cacheHit = p.vector != null;
        }
      }
      return null;
    });
  }
}
