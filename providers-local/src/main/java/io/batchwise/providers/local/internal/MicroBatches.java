package io.batchwise.providers.local.internal;

import io.batchwise.scheduler.Packers;
import io.batchwise.spi.ModelInfo;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts the inputs of one provider call into micro-batches whose padded size, rows × longest row, stays
 * within a token-position budget.
 *
 * <p>The embed pipeline already hands the provider length-sorted micro-batches that fit; this is the
 * safety net for direct callers who pass a large call: it sorts by length so that rows of similar length
 * share a batch and little is wasted on padding, and returns the heaviest micro-batches (rows × longest
 * row) first, so that the runs that finish last are short: the pipeline's own packer does that cut
 * ({@link Packers#parallelGather}). A call that fits is kept whole, in input order.
 */
final class MicroBatches {
  private MicroBatches() {}

  /**
   * Plans the micro-batches.
   *
   * @param lengths each input's token count, at least 1
   * @param budget the most token positions (rows × longest row) per micro-batch, at least the longest input
   * @param maxRows the most inputs per micro-batch, at least 1
   * @return groups of input indices, heaviest first; together they hold every index exactly once
   */
  static List<int[]> plan(int[] lengths, int budget, int maxRows) {
    int longest = Arrays.stream(lengths).max().orElse(0);
    if ((long) longest * lengths.length <= budget && lengths.length <= maxRows) {
      int[] all = new int[lengths.length];
      Arrays.setAll(all, i -> i);
      return List.of(all);
    }
    // the embed pipeline's PARALLEL_GATHER packer: the same cut, heaviest micro-batches first
    return Packers.parallelGather(lengths, maxRows, ModelInfo.NO_LIMIT, budget);
  }
}
