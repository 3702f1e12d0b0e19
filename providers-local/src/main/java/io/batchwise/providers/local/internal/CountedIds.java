package io.batchwise.providers.local.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The token ids of texts just counted, kept until the provider embeds the same text, so that a text
 * the embed pipeline counted is tokenized once, not once to count and again to run.
 *
 * <p>Texts are held weakly and matched by identity: the pipeline hands the provider the very string
 * it counted, and an entry goes with its text once nothing else references it, so a caller that
 * counts texts it never embeds leaves nothing behind. At most {@link #MAX_TOKENS} ids are kept (16
 * MiB); beyond that entries are evicted, and a text whose ids were evicted is tokenized again when
 * it is embedded: a cost, never a different result, since the same tokenizer gives the same ids.
 * Taking an entry removes it. Thread-safe.
 */
final class CountedIds {
  /** The most token ids kept: 2^21, 16 MiB of {@code long}s, about 20,000 RAG-sized chunks. */
  static final long MAX_TOKENS = 1L << 21;

  /** What an entry weighs beyond its ids, in ids (its references and array header). */
  private static final int ENTRY_WEIGHT = 16;

  private final Cache<String, long[]> ids;

  /**
   * Creates an empty store.
   *
   * @param maxTokens the most ids kept, entry overheads included
   */
  CountedIds(long maxTokens) {
    this.ids =
        Caffeine.newBuilder()
            .weakKeys()
            .maximumWeight(maxTokens)
            .weigher((String text, long[] tokenIds) -> tokenIds.length + ENTRY_WEIGHT)
            .executor(
                Runnable
                    ::run) // maintenance on the counting thread, as the registry's count cache does
            .build();
  }

  /**
   * Keeps the ids a count of {@code text} produced.
   *
   * @param text the text, matched later by identity
   * @param tokenIds its ids; not to be changed afterwards
   */
  void put(String text, long[] tokenIds) {
    ids.put(text, tokenIds);
  }

  /**
   * Takes the ids kept for this very string, if any.
   *
   * @param text the text
   * @return its ids, now removed, or null when none are kept
   */
  long[] take(String text) {
    return ids.asMap().remove(text);
  }

  /**
   * The ids kept now, entry overheads included, for tests.
   *
   * @return the weight after pending evictions ran
   */
  long weight() {
    ids.cleanUp();
    return ids.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }
}
