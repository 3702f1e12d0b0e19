package io.batchwise.map;

import java.time.Duration;

/**
 * What a {@link Mapper#mapAll} did and cost. Immutable.
 *
 * @param items items given
 * @param uniqueItems distinct valid items among them (duplicates are asked once)
 * @param cacheHits distinct items answered by the cache
 * @param calls requests sent to the model, retries included
 * @param retries requests sent again: a failed call retried by the scheduler, or items asked again
 *     because their answer was missing, duplicated, malformed or did not match the schema
 * @param promptTokens prompt tokens the server reported ({@code usage.prompt_tokens}) over every
 *     call
 * @param completionTokens completion tokens the server reported over every call
 * @param cachedTokens prompt tokens the server said it served from its prompt cache
 * @param failed items without an answer
 * @param costUsd the cost in US dollars at the model's list price, or {@link Double#NaN} when the
 *     price of the model is not known
 * @param elapsed wall time of the run
 */
public record MapUsage(
    long items,
    long uniqueItems,
    long cacheHits,
    long calls,
    long retries,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long failed,
    double costUsd,
    Duration elapsed) {

  /**
   * The share of distinct items answered by the cache; 0 when there were none.
   *
   * @return cacheHits / uniqueItems, in [0, 1]
   */
  public double cacheHitRate() {
    return uniqueItems == 0 ? 0 : (double) cacheHits / uniqueItems;
  }
}
