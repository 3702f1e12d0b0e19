package io.batchwise.internal.embed;

import io.batchwise.spi.CacheKey;
import io.batchwise.spi.EmbeddingCache;
import io.batchwise.spi.LimitPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the embedding of the distinct texts in the cache: bulk lookups through {@link
 * EmbeddingCache#getAllOrLoad} (so a single-flight cache computes concurrent identical misses
 * once), the misses embedded, and each provider call's vectors stored as the call is answered.
 *
 * <p>A cached vector is served only when the current settings would send the model exactly what the
 * entry was computed from. A text sent whole is keyed by its text, a text cut to {@code limit}
 * tokens by the limit and its text ({@link CacheKey#truncated}); the namespace holds the provider's
 * own per-input limit. So:
 *
 * <ul>
 *   <li>when the effective limit is the provider's own, every whole-text entry is of a text within
 *       it: texts are looked up before they are counted, and only the misses are counted; with
 *       {@code TRUNCATE}, a miss found to be cut is looked up again under its cut key;
 *   <li>when the user lowered the limit, a whole-text entry may be of a text the lower limit would
 *       cut, so every text is counted first and looked up under the key of what would be sent.
 * </ul>
 *
 * <p>A hit is checked like a provider's answer (dimensions, finite values); one that fails is a
 * miss, embedded again and overwritten. A text whose vector this embed did not compute itself
 * (found in the cache, or computed by a concurrent embed) is marked as a cache hit. Without a cache
 * no text is hashed and the misses are simply all texts.
 */
final class CacheStage {
  private static final Logger LOG = LoggerFactory.getLogger(CacheStage.class);

  /** How the pipeline counts and embeds the texts the cache does not answer. */
  interface Sender {
    /**
     * Counts and limits texts (records each one's fit, or why it cannot be sent).
     *
     * @param texts the texts
     * @return completes when all are counted
     */
    CompletableFuture<?> count(List<PendingText> texts);

    /**
     * Counts, limits and embeds texts, counting as calls are packed where the strategy allows.
     *
     * @param texts uncounted texts
     * @return completes when each has its vector or error
     */
    CompletableFuture<?> countAndSend(List<PendingText> texts);

    /**
     * Embeds counted texts (those without an invalid reason).
     *
     * @param texts counted texts
     * @return completes when each has its vector or error
     */
    CompletableFuture<?> send(List<PendingText> texts);
  }

  private final EmbeddingCache cache;
  private final String namespace;
  private final boolean enabled;
  private final int limit;
  private final boolean countFirst;
  private final LimitPolicy policy;
  private final int dimensions;

  /**
   * @param cache the cache (possibly {@link EmbeddingCache#none()})
   * @param namespace the namespace of the embedder's vector identity
   * @param limit the effective per-input token limit
   * @param providerLimit the provider's own per-input token limit (part of the namespace)
   * @param policy what happens to an input over the limit
   * @param dimensions the model's dimensions, to check hits
   */
  CacheStage(
      EmbeddingCache cache,
      String namespace,
      int limit,
      int providerLimit,
      LimitPolicy policy,
      int dimensions) {
    this.cache = cache;
    this.namespace = namespace;
    this.enabled = cache != EmbeddingCache.none();
    this.limit = limit;
    this.countFirst = limit < providerLimit;
    this.policy = policy;
    this.dimensions = dimensions;
  }

  /** A copy that looks up in {@code cache} instead. */
  private CacheStage(CacheStage base, EmbeddingCache cache) {
    this.cache = cache;
    this.namespace = base.namespace;
    this.enabled = base.enabled;
    this.limit = base.limit;
    this.countFirst = base.countFirst;
    this.policy = base.policy;
    this.dimensions = base.dimensions;
  }

  /**
   * Which texts the cache answers, by exactly the lookups of {@link #lookupOrEmbed} (so a text the
   * limit cuts is a hit when its cut vector is cached, and a hit that fails the check is a miss),
   * with nothing stored and no single flight joined: each hit gets its vector and is marked a cache
   * hit, and {@code sender} is handed the misses as an embed's would be (a dry run's sender only
   * counts).
   *
   * @param texts the distinct texts
   * @param sender counts the misses and takes those an embed would send
   * @return completes when every text is a hit or handed to {@code sender}
   */
  CompletableFuture<?> probe(List<PendingText> texts, Sender sender) {
    return (enabled ? new CacheStage(this, new ReadOnlyCache(cache)) : this)
        .lookupOrEmbed(texts, sender);
  }

  /**
   * A cache that is only read: lookups go to the real cache, stores are dropped, and the lookup
   * with a loader is the plain one of {@link EmbeddingCache} (never a single flight other embeds
   * wait on).
   */
  private static final class ReadOnlyCache implements EmbeddingCache {
    private final EmbeddingCache cache;

    ReadOnlyCache(EmbeddingCache cache) {
      this.cache = cache;
    }

    @Override
    public Map<CacheKey, float[]> getAll(Collection<CacheKey> keys) {
      return cache.getAll(keys);
    }

    @Override
    public void putAll(Map<CacheKey, float[]> entries) {
      // read only: nothing was computed that could be stored
    }

    @Override
    public void invalidate(CacheKey key) {
      throw new UnsupportedOperationException("a read-only view of the cache");
    }

    @Override
    public void invalidateNamespace(String namespace) {
      throw new UnsupportedOperationException("a read-only view of the cache");
    }

    @Override
    public void clear() {
      throw new UnsupportedOperationException("a read-only view of the cache");
    }
  }

  /**
   * What the cache stage records for a text this embed sends: the key it missed under, and how to
   * store its vector there once its call answers (the hand-over of the lookup that missed it, so a
   * single-flight cache can hand the vector to concurrent embeds waiting for the same key).
   *
   * @param key the key of the text as sent
   * @param store stores a call's vectors by key
   */
  record Miss(CacheKey key, Consumer<Map<CacheKey, float[]>> store) {}

  /** Embeds the misses of one lookup, storing each call's vectors through {@code store}. */
  @FunctionalInterface
  private interface MissHandler {
    /**
     * @param misses the texts missed, by the key each missed under, in input order
     * @param store the lookup's hand-over for their vectors
     * @return completes when each has its vector, failure or invalid reason
     */
    CompletableFuture<?> embed(
        Map<CacheKey, PendingText> misses, Consumer<Map<CacheKey, float[]>> store);
  }

  /**
   * Fills each text's vector from the cache or by {@code sender}.
   *
   * @param texts the distinct texts
   * @param sender counts and embeds the misses, setting each one's vector or error
   * @return completes when every text has its vector, failure or invalid reason
   */
  CompletableFuture<?> lookupOrEmbed(List<PendingText> texts, Sender sender) {
    if (!enabled || texts.isEmpty()) {
      return sender.countAndSend(texts);
    }
    if (countFirst) {
      return sender
          .count(texts)
          .thenCompose(
              counted -> {
                Map<CacheKey, PendingText> valid = keyed(texts.size());
                for (PendingText p : texts) {
                  if (p.invalidReason() == null) {
                    valid.put(keyOfSent(p), p);
                  }
                }
                return lookup(valid, (misses, store) -> send(sender, misses, store));
              });
    }
    Map<CacheKey, PendingText> byWholeKey = keyed(texts.size());
    for (PendingText p : texts) {
      byWholeKey.put(CacheKey.of(namespace, p.text), p);
    }
    return lookup(byWholeKey, (misses, store) -> embedWholeKeyMisses(sender, misses, store));
  }

  /** Texts by their keys, in the order they are put: input order. */
  private static Map<CacheKey, PendingText> keyed(int expected) {
    return new LinkedHashMap<>(expected * 2);
  }

  /** The key of what will be sent: the text, or its truncation at the limit. */
  private CacheKey keyOfSent(PendingText p) {
    return p.truncated()
        ? CacheKey.truncated(namespace, p.text, limit)
        : CacheKey.of(namespace, p.text);
  }

  /**
   * The misses of a lookup by whole-text key, uncounted: counted, then those sent whole are
   * embedded, and those the limit cuts are looked up again under their cut key.
   */
  private CompletableFuture<?> embedWholeKeyMisses(
      Sender sender, Map<CacheKey, PendingText> misses, Consumer<Map<CacheKey, float[]>> store) {
    if (policy == LimitPolicy.FAIL) {
      missed(misses, store); // nothing is cut: every miss keeps its whole-text key
      return sender.countAndSend(new ArrayList<>(misses.values()));
    }
    List<PendingText> uncounted = new ArrayList<>();
    for (PendingText p : misses.values()) {
      if (!p.counted()) {
        uncounted.add(p);
      }
    }
    CompletableFuture<?> counting =
        uncounted.isEmpty() ? CompletableFuture.completedFuture(null) : sender.count(uncounted);
    return counting.thenCompose(
        counted -> {
          Map<CacheKey, PendingText> whole = keyed(misses.size());
          Map<CacheKey, PendingText> cut = keyed(misses.size());
          misses.forEach(
              (key, p) -> {
                if (p.invalidReason() == null) {
                  if (p.truncated()) {
                    cut.put(keyOfSent(p), p);
                  } else {
                    whole.put(key, p);
                  }
                }
              });
          if (cut.isEmpty()) {
            return send(sender, whole, store).thenApply(sent -> (Void) null);
          }
          // the texts sent whole go out in the same job as the first cut misses, so one embed is
          // one job
          missed(whole, store);
          List<PendingText> wholeTexts = new ArrayList<>(whole.values());
          AtomicBoolean wholeSent = new AtomicBoolean(wholeTexts.isEmpty());
          return lookup(
                  cut,
                  (cutMisses, cutStore) -> {
                    missed(cutMisses, cutStore);
                    if (!wholeSent.compareAndSet(false, true)) {
                      return sender.send(new ArrayList<>(cutMisses.values()));
                    }
                    List<PendingText> both = new ArrayList<>(wholeTexts);
                    both.addAll(cutMisses.values());
                    both.sort(
                        Comparator.comparingInt(
                            p -> p.firstIndex)); // calls are packed in input order
                    return sender.send(both);
                  })
              .thenCompose(
                  looked ->
                      wholeSent.compareAndSet(false, true) // every cut text was a hit
                          ? sender.send(wholeTexts).thenApply(sent -> (Void) null)
                          : CompletableFuture.<Void>completedFuture(null));
        });
  }

  private static CompletableFuture<?> send(
      Sender sender, Map<CacheKey, PendingText> texts, Consumer<Map<CacheKey, float[]>> store) {
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    missed(texts, store);
    return sender.send(new ArrayList<>(texts.values()));
  }

  /** Records each text as a miss this embed sends, under its key. */
  private static void missed(
      Map<CacheKey, PendingText> texts, Consumer<Map<CacheKey, float[]>> store) {
    texts.forEach((key, p) -> p.missed(new Miss(key, store)));
  }

  /**
   * Looks up {@code byKey}'s texts; {@code embedMisses} embeds the texts this embed leads, storing
   * each call's vectors through the given store. Hits are checked and recorded; a bad one is
   * embedded again by {@code embedMisses} and overwritten.
   */
  private CompletableFuture<?> lookup(Map<CacheKey, PendingText> byKey, MissHandler embedMisses) {
    if (byKey.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    // texts this lookup handed to embedMisses: their outcome is set there, not from the cache
    Set<PendingText> claimed =
        Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    EmbeddingCache.Loader loader =
        (missing, ready) -> {
          Map<CacheKey, PendingText> misses = keyed(missing.size());
          for (CacheKey k : missing) {
            PendingText p = byKey.get(k);
            misses.put(k, p);
            claimed.add(p);
          }
          return embedMisses.embed(misses, ready);
        };
    return cache
        .getAllOrLoad(byKey.keySet(), loader)
        .thenCompose(
            found -> {
              Map<CacheKey, PendingText> bad = keyed(0);
              byKey.forEach(
                  (key, p) -> {
                    if (claimed.contains(p)) {
                      return;
                    }
                    float[] v = found.get(key);
                    String problem = v == null ? null : VectorShape.problem(v, dimensions);
                    if (problem != null) {
                      LOG.warn(
                          "the cached vector of a text is unusable ({}); embedding it again",
                          problem);
                      bad.put(key, p);
                    } else if (v != null) {
                      p.hit(v);
                    }
                  });
              return bad.isEmpty()
                  ? CompletableFuture.completedFuture(null)
                  : embedMisses.embed(bad, overwrite());
            });
  }

  /** Stores straight into the cache, replacing what is there (for hits that failed the check). */
  private Consumer<Map<CacheKey, float[]>> overwrite() {
    return entries -> {
      try {
        cache.putAll(entries);
      } catch (RuntimeException e) {
        LOG.warn("cache store failed; {} vectors not cached: {}", entries.size(), e.toString());
      }
    };
  }
}
