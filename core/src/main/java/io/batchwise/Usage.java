package io.batchwise;

import java.time.Duration;

/**
 * What an embed did and cost. Immutable; {@link #plus(Usage)} adds two.
 *
 * @param inputs inputs given
 * @param uniqueInputs distinct valid texts among them (duplicates are embedded once)
 * @param cacheHits distinct texts answered by the cache
 * @param providerCalls provider call attempts, retries included; for an embed that shared its calls
 *     with concurrent ones ({@code coalesce-window}), those of the shared calls
 * @param retries provider call retries (of the shared calls, likewise)
 * @param tokens tokens sent to the provider (distinct texts, after truncation; retries not counted
 *     twice)
 * @param truncated inputs cut to the per-input token limit
 * @param failed inputs without a vector
 * @param elapsed wall time of the embed
 */
public record Usage(
    long inputs,
    long uniqueInputs,
    long cacheHits,
    long providerCalls,
    long retries,
    long tokens,
    long truncated,
    long failed,
    Duration elapsed) {

  /** Nothing done. */
  public static final Usage EMPTY = new Usage(0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO);

  /**
   * The sum of two usages (elapsed times add too).
   *
   * @param other another usage
   * @return the sum
   */
  public Usage plus(Usage other) {
    return new Usage(
        inputs + other.inputs,
        uniqueInputs + other.uniqueInputs,
        cacheHits + other.cacheHits,
        providerCalls + other.providerCalls,
        retries + other.retries,
        tokens + other.tokens,
        truncated + other.truncated,
        failed + other.failed,
        elapsed.plus(other.elapsed));
  }

  /**
   * The share of distinct texts answered by the cache; 0 when there were none.
   *
   * @return cacheHits / uniqueInputs, in [0, 1]
   */
  public double cacheHitRate() {
    return uniqueInputs == 0 ? 0 : (double) cacheHits / uniqueInputs;
  }
}
