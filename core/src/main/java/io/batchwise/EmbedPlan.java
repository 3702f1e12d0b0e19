package io.batchwise;

import io.batchwise.spi.LimitPolicy;

/**
 * What an embed of some texts would do, worked out by the pipeline's own stages without calling the
 * provider or writing to the cache ({@link Batchwise#plan}): what a dry run reports. Immutable.
 *
 * @param inputs the inputs
 * @param invalidInputs inputs that fail validation (null, too long), which would fail at once
 * @param uniqueInputs the distinct valid texts
 * @param cacheHits distinct texts the cache answers, looked up as an embed looks them up (a text
 *     the limit cuts under the key of its cut)
 * @param truncated distinct texts to send that the per-input limit cuts
 * @param failing distinct texts that are no hit and would fail instead of being sent (over the
 *     limit with {@link LimitPolicy#FAIL}, or that cannot be tokenized)
 * @param tokensToSend the tokens of each distinct text that would be sent, as sent (after any cut),
 *     in input order
 * @param limitPolicy what happens to an input over the per-input limit
 */
public record EmbedPlan(
    long inputs,
    long invalidInputs,
    long uniqueInputs,
    long cacheHits,
    long truncated,
    long failing,
    int[] tokensToSend,
    LimitPolicy limitPolicy) {

  /**
   * Copies the token counts.
   *
   * @param inputs the inputs
   * @param invalidInputs inputs that fail validation
   * @param uniqueInputs the distinct valid texts
   * @param cacheHits distinct texts the cache answers
   * @param truncated distinct texts to send that the per-input limit cuts
   * @param failing distinct texts that would fail instead of being sent
   * @param tokensToSend the tokens of each distinct text that would be sent, in input order
   *     (copied)
   * @param limitPolicy what happens to an input over the per-input limit
   */
  public EmbedPlan {
    tokensToSend = tokensToSend.clone();
  }

  /**
   * The tokens of each distinct text that would be sent.
   *
   * @return a copy, in input order
   */
  @Override
  public int[] tokensToSend() {
    return tokensToSend.clone();
  }

  /**
   * The tokens that would be sent in all.
   *
   * @return their sum
   */
  public long tokens() {
    long sum = 0;
    for (int t : tokensToSend) {
      sum += t;
    }
    return sum;
  }
}
