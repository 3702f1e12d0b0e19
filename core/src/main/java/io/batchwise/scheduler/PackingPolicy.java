package io.batchwise.scheduler;

/**
 * How a job cuts its items into batches; one per job ({@link JobOptions.Builder#packing}). Every
 * batch stays within {@link JobOptions#maxItems()} items and {@link JobOptions#maxTokens()} summed
 * tokens (an item over {@code maxTokens} but within the context window runs alone).
 *
 * <ul>
 *   <li>{@link #inOrder()} (the default): greedy, in input order: a batch takes items until the
 *       next one would break a limit. The source is read lazily, one batch at a time. This is how
 *       remote APIs are fed ({@code SINGLE_CALL}): the fewest calls an in-order packing can make.
 *   <li>{@link #lengthSorted(long)}: reads the whole source, sorts the items by tokens (stable, so
 *       equal counts keep input order) and cuts micro-batches whose token-position budget — rows ×
 *       the longest row, what an in-process model computes once a batch is padded — stays within
 *       the budget; the batches start heaviest first (most padded positions, then longest rows), so
 *       the long runs overlap everything else and the last to finish are short ({@code
 *       PARALLEL_GATHER}). An item over the budget fails alone, naming its tokens and the budget.
 * </ul>
 *
 * <p>{@link #countingAhead()} makes either policy count tokens on the scheduler's CPU pool, in
 * parallel chunks, ahead of the batch being packed, for token counters that cost real work (a
 * tokenizer): counting the next batches then overlaps the batches in flight. In order, the
 * scheduler reads and counts at most two waves of batches (the concurrency × {@code maxItems},
 * twice) ahead; items read ahead when the job stops are never started and get no result, like items
 * never read.
 *
 * @param lengthSorted whether items are sorted by tokens and cut under a token-position budget
 * @param tokenPositionBudget the most rows × longest row per batch when length-sorted, else 0
 * @param countAhead whether tokens are counted in parallel ahead of packing
 */
public record PackingPolicy(boolean lengthSorted, long tokenPositionBudget, boolean countAhead) {

  /**
   * Checks that a length-sorted policy has a positive budget and an in-order one none.
   *
   * @throws IllegalArgumentException naming the budget
   */
  public PackingPolicy {
    if (lengthSorted && tokenPositionBudget < 1) {
      throw new IllegalArgumentException(
          "tokenPositionBudget was " + tokenPositionBudget + "; it must be at least 1");
    }
    if (!lengthSorted && tokenPositionBudget != 0) {
      throw new IllegalArgumentException(
          "an in-order packing has no token-position budget (was "
              + tokenPositionBudget
              + "); use PackingPolicy.lengthSorted(budget)");
    }
  }

  /**
   * Greedy, in input order, read lazily (the default).
   *
   * @return the policy
   */
  public static PackingPolicy inOrder() {
    return new PackingPolicy(false, 0, false);
  }

  /**
   * Sorted by tokens, cut under a token-position budget, heaviest batches first.
   *
   * @param tokenPositionBudget the most rows × longest row per batch, at least 1
   * @return the policy
   */
  public static PackingPolicy lengthSorted(long tokenPositionBudget) {
    return new PackingPolicy(true, tokenPositionBudget, false);
  }

  /**
   * The same packing, with tokens counted on the CPU pool ahead of it.
   *
   * @return a copy that counts ahead
   */
  public PackingPolicy countingAhead() {
    return new PackingPolicy(lengthSorted, tokenPositionBudget, true);
  }
}
