package io.batchwise.internal.embed;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk cache lookup before the provider and bulk store after it. A cache that throws is treated as
 * empty (lookup) or skipped (store) with a warning: the cache never turns its failure into a failed
 * embed.
 */
final class CacheStage {
  private static final Logger LOG = LoggerFactory.getLogger(CacheStage.class);
  private final EmbeddingCache cache;
  private final String namespace;
  private final boolean enabled;

  CacheStage(EmbeddingCache cache, String namespace) {
    this.cache = cache;
    this.namespace = namespace;
    this.enabled = cache != EmbeddingCache.none();
  }

  /**
   * Fills the vectors the cache has.
   *
   * @param texts the distinct texts
   * @return those still without a vector (the misses), in order
   */
  List<PendingText> lookup(List<PendingText> texts) {
    if (!enabled || texts.isEmpty()) {
      return texts;
    }
    List<CacheKey> keys = new ArrayList<>(texts.size());
    for (PendingText p : texts) {
      p.key = CacheKey.of(namespace, p.text);
      keys.add(p.key);
    }
    Map<CacheKey, float[]> found;
    try {
      found = cache.getAll(keys);
    } catch (RuntimeException e) {
      LOG.warn("cache lookup failed; treating {} texts as misses: {}", keys.size(), e.toString());
      found = Map.of();
    }
    List<PendingText> misses = new ArrayList<>(texts.size() - found.size());
    for (PendingText p : texts) {
      float[] v = found.get(p.key);
      if (v != null) {
        p.vector = v;
        p.cacheHit = true;
      } else {
        misses.add(p);
      }
    }
    return misses;
  }

  /**
   * Stores the vectors the provider returned.
   *
   * @param embedded texts that went to the provider; those that failed are skipped
   */
  void store(List<PendingText> embedded) {
    if (!enabled) {
      return;
    }
    Map<CacheKey, float[]> entries = new HashMap<>();
    for (PendingText p : embedded) {
      if (p.vector != null && !p.cacheHit) {
        entries.put(p.key, p.vector);
      }
    }
    if (entries.isEmpty()) {
      return;
    }
    try {
      cache.putAll(entries);
    } catch (RuntimeException e) {
      LOG.warn("cache store failed; {} vectors not cached: {}", entries.size(), e.toString());
    }
  }
}
