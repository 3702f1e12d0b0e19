package io.batchwise.scheduler;

import io.batchwise.internal.scheduler.BatchPacker;
import java.util.List;

/**
 * How the scheduler's packer would cut texts of given token counts into provider calls, for dry
 * runs, benchmarks and tools that plan a job before running it (the CLI's {@code --dry-run}, the
 * packing benchmark, an integration that reports its batches): it runs that very packer over the
 * counts. Applications embed through {@link io.batchwise.Embedder}, which packs by itself.
 *
 * <p>Stateless; safe from any thread.
 */
public final class Packers {

  private Packers() {}

  /**
   * Packs as {@link io.batchwise.spi.BatchStrategy#SINGLE_CALL} does ({@link
   * PackingPolicy#inOrder()}): in input order, each call filled up to both limits.
   *
   * @param tokens each text's token count
   * @param maxInputs the most texts per call
   * @param maxTokens the most summed tokens per call
   * @return calls, each a list of positions into {@code tokens}
   * @throws IllegalArgumentException when one text alone exceeds {@code maxTokens}
   */
  public static List<int[]> singleCall(int[] tokens, int maxInputs, long maxTokens) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] > maxTokens) {
        throw new IllegalArgumentException(
            "text " + i + " has " + tokens[i] + " tokens, over the call limit " + maxTokens);
      }
    }
    return pack(tokens, maxInputs, maxTokens, PackingPolicy.inOrder());
  }

  /**
   * Packs as {@link io.batchwise.spi.BatchStrategy#PARALLEL_GATHER} does ({@link
   * PackingPolicy#lengthSorted(long)}): sorted by length, each micro-batch within the input limit,
   * the summed-token limit and the token-position budget (rows × longest row), heaviest first.
   *
   * @param tokens each text's token count
   * @param maxInputs the most texts per micro-batch
   * @param maxTokens the most summed tokens per micro-batch ({@link
   *     io.batchwise.spi.ModelInfo#maxTokensPerCall()})
   * @param tokenPositionBudget the most rows × padded length per micro-batch ({@link
   *     io.batchwise.spi.ModelInfo#microBatchTokenBudget()})
   * @return micro-batches, each a list of positions into {@code tokens}
   * @throws IllegalArgumentException when one text alone exceeds the budget or the summed limit
   */
  public static List<int[]> parallelGather(
      int[] tokens, int maxInputs, long maxTokens, long tokenPositionBudget) {
    for (int i = 0; i < tokens.length; i++) {
      if (Math.max(1, tokens[i]) > tokenPositionBudget || tokens[i] > maxTokens) {
        throw new IllegalArgumentException(
            "text "
                + i
                + " has "
                + tokens[i]
                + " tokens, over the token-position budget "
                + tokenPositionBudget
                + " or the call limit "
                + maxTokens);
      }
    }
    return pack(tokens, maxInputs, maxTokens, PackingPolicy.lengthSorted(tokenPositionBudget));
  }

  private static List<int[]> pack(
      int[] tokens, int maxInputs, long maxTokens, PackingPolicy policy) {
    return BatchPacker.plan(
        tokens, maxInputs, maxTokens, policy); // the checks above keep every text within the limits
  }
}
