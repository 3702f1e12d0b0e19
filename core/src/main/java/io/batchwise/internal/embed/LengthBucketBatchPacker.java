package io.batchwise.internal.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@link io.batchwise.spi.BatchStrategy#PARALLEL_GATHER}: sorts texts by token length and cuts
 * micro-batches whose token-position budget — rows × the longest row, which is what an in-process
 * model computes once inputs are padded — stays within the limit, and whose rows and summed tokens
 * stay within the call's limits. Sorting puts texts of like length together, so padding waste stays small; the embed
 * pipeline gathers the results back into input order.
 *
 * <p>The micro-batches come out heaviest first (most padded positions, then longest rows): the
 * scheduler starts them in that order, so the long runs overlap everything else and the last ones
 * to finish are short, instead of one core running a long batch while the other has nothing left.
 */
public final class LengthBucketBatchPacker implements BatchPacker {
  private final int maxInputs;
  private final long maxTokens;
  private final long tokenPositionBudget;

  /**
   * @param maxInputs the most texts per micro-batch
   * @param maxTokens the most summed tokens per micro-batch
   * @param tokenPositionBudget the most rows × padded length per micro-batch
   */
  public LengthBucketBatchPacker(int maxInputs, long maxTokens, long tokenPositionBudget) {
    this.maxInputs = maxInputs;
    this.maxTokens = maxTokens;
    this.tokenPositionBudget = tokenPositionBudget;
  }

  @Override
  public List<int[]> pack(int[] tokens) {
    Integer[] order = new Integer[tokens.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    // stable sort: equal lengths keep input order, so the packing is deterministic
    Arrays.sort(order, (a, b) -> Integer.compare(tokens[a], tokens[b]));
    List<int[]> calls = new ArrayList<>();
    int[] current = new int[Math.min(maxInputs, Math.max(1, tokens.length))];
    int size = 0;
    long sum = 0;
    for (Integer i : order) {
      int len = Math.max(1, tokens[i]);
      if (len > tokenPositionBudget || tokens[i] > maxTokens) {
        throw new IllegalArgumentException("text " + i + " has " + len + " tokens, over the token-position budget "
            + tokenPositionBudget + " or the call limit " + maxTokens);
      }
      // sorted ascending, so this text is the longest so far: the padded width becomes len
      if (size == maxInputs
          || (size > 0 && ((long) (size + 1) * len > tokenPositionBudget || sum + tokens[i] > maxTokens))) {
        calls.add(Arrays.copyOf(current, size));
        size = 0;
        sum = 0;
      }
      current[size++] = i;
      sum += tokens[i];
    }
    if (size > 0) {
      calls.add(Arrays.copyOf(current, size));
    }
    // heaviest first; the sort is stable and ties go to the longer rows, so the order is deterministic
    calls.sort(Comparator.comparingLong((int[] call) -> paddedPositions(call, tokens))
        .thenComparingInt(call -> tokens[call[call.length - 1]])
        .reversed());
    return calls;
  }

  /** Rows × the longest row: what the model computes for the micro-batch once it is padded. */
  static long paddedPositions(int[] call, int[] tokens) {
    // packed in ascending order, so the last row is the longest
    return (long) call.length * Math.max(1, tokens[call[call.length - 1]]);
  }
}
