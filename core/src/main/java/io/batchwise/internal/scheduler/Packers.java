package io.batchwise.internal.scheduler;

import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.PackingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How the scheduler's packer would cut texts of given token counts into provider calls, for dry runs,
 * benchmarks and tools: it runs that very packer ({@link BatchPacker}) over the counts. Internal API:
 * it may change without notice; applications go through {@link io.batchwise.Embedder}.
 */
public final class Packers {

  private Packers() {}

  /**
   * Packs as {@link io.batchwise.spi.BatchStrategy#SINGLE_CALL} does ({@link PackingPolicy#inOrder()}):
   * in input order, each call filled up to both limits.
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
   * Packs as {@link io.batchwise.spi.BatchStrategy#PARALLEL_GATHER} does
   * ({@link PackingPolicy#lengthSorted(long)}): sorted by length, each micro-batch within the input
   * limit, the summed-token limit and the token-position budget (rows × longest row), heaviest first.
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
    for (int i = 0; i < tokens.length; i++) {
      if (Math.max(1, tokens[i]) > tokenPositionBudget || tokens[i] > maxTokens) {
        throw new IllegalArgumentException("text " + i + " has " + tokens[i] + " tokens, over the token-position budget "
            + tokenPositionBudget + " or the call limit " + maxTokens);
      }
    }
    return pack(tokens, maxInputs, maxTokens, PackingPolicy.lengthSorted(tokenPositionBudget));
  }

  private static List<int[]> pack(int[] tokens, int maxInputs, long maxTokens, PackingPolicy policy) {
    JobOptions<Integer> options = JobOptions.<Integer>builder()
        .maxItems(maxInputs).maxTokens(maxTokens).contextWindow(maxTokens)
        .tokenCounter(i -> tokens[i]).packing(policy).build();
    List<String> rejected = new ArrayList<>();
    BatchPacker<Integer> packer = new BatchPacker<>(
        IntStream.range(0, tokens.length).iterator(), options, (p, e) -> rejected.add(e.getMessage()));
    List<int[]> calls = new ArrayList<>();
    PackedBatch<Integer> batch;
    while ((batch = packer.next(maxInputs)) != null) {
      calls.add(batch.items.stream().mapToInt(Integer::intValue).toArray());
    }
    if (!rejected.isEmpty()) { // the checks above keep every text within the limits
      throw new IllegalStateException("the packer refused texts the limits allow: " + rejected);
    }
    return calls;
  }
}
