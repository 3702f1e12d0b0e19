package io.batchwise.internal.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link io.batchwise.spi.BatchStrategy#SINGLE_CALL}: fills each call in input order with as many
 * texts as fit both the input limit and the summed-token limit, then starts the next — the fewest
 * calls an in-order packing can make, and each call's texts stay contiguous.
 */
public final class GreedyBatchPacker implements BatchPacker {
  private final int maxInputs;
  private final long maxTokens;

  /**
   * @param maxInputs the most texts per call
   * @param maxTokens the most summed tokens per call
   */
  public GreedyBatchPacker(int maxInputs, long maxTokens) {
    this.maxInputs = maxInputs;
    this.maxTokens = maxTokens;
  }

  /**
   * The greedy rule, shared with the streaming path of {@link CallRunner}: the next text starts a new
   * call when the current one is full by count, or non-empty and it would go over the token limit.
   */
  static boolean startsNewCall(int size, long sum, int nextTokens, int maxInputs, long maxTokens) {
    return size == maxInputs || (size > 0 && sum + nextTokens > maxTokens);
  }

  @Override
  public List<int[]> pack(int[] tokens) {
    List<int[]> calls = new ArrayList<>();
    int[] current = new int[Math.min(maxInputs, Math.max(1, tokens.length))];
    int size = 0;
    long sum = 0;
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] > maxTokens) {
        throw new IllegalArgumentException(
            "text " + i + " has " + tokens[i] + " tokens, over the call limit " + maxTokens);
      }
      if (startsNewCall(size, sum, tokens[i], maxInputs, maxTokens)) {
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
    return calls;
  }
}
