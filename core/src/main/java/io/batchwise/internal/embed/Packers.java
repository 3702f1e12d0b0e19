package io.batchwise.internal.embed;

import java.util.List;

/**
 * The embed pipeline's batch packers behind a public entry, for benchmarks and tools. Internal API:
 * it may change without notice; applications go through {@link io.batchwise.Embedder}.
 */
public final class Packers {

  private Packers() {}

  /**
   * Packs as {@link io.batchwise.spi.BatchStrategy#SINGLE_CALL} does: in input order, each call
   * filled up to both limits.
   *
   * @param tokens each text's token count
   * @param maxInputs the most texts per call
   * @param maxTokens the most summed tokens per call
   * @return calls, each a list of positions into {@code tokens}
   * @throws IllegalArgumentException when one text alone exceeds {@code maxTokens}
   */
  public static List<int[]> singleCall(int[] tokens, int maxInputs, long maxTokens) {
    return new GreedyBatchPacker(maxInputs, maxTokens).pack(tokens);
  }

  /**
   * Packs as {@link io.batchwise.spi.BatchStrategy#PARALLEL_GATHER} does: sorted by length, each
   * micro-batch within the input limit, the summed-token limit and the token-position budget (rows ×
   * longest row).
   *
   * @param tokens each text's token count
   * @param maxInputs the most texts per micro-batch
   * @param maxTokens the most summed tokens per micro-batch ({@link io.batchwise.spi.ModelInfo#maxTokensPerCall()})
   * @param tokenPositionBudget the most rows × padded length per micro-batch
   *     ({@link io.batchwise.spi.ModelInfo#microBatchTokenBudget()})
   * @return micro-batches, each a list of positions into {@code tokens}
   * @throws IllegalArgumentException when one text alone exceeds the budget or the summed limit
   */
  public static List<int[]> parallelGather(int[] tokens, int maxInputs, long maxTokens, long tokenPositionBudget) {
    return new LengthBucketBatchPacker(maxInputs, maxTokens, tokenPositionBudget).pack(tokens);
  }
}
