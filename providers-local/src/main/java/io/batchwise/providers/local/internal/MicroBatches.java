package io.batchwise.providers.local.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the inputs of one provider call into micro-batches whose padded size, rows × longest row, stays
 * within a token-position budget.
 *
 * <p>The embed pipeline already hands the provider length-sorted micro-batches that fit; this is the
 * safety net for direct callers who pass a large call: it sorts by length so that rows of similar length
 * share a batch and little is wasted on padding, and returns the heaviest micro-batches (rows × longest
 * row) first, so that the runs that finish last are short. A call that fits is kept whole, in input
 * order.
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
    Integer[] order = new Integer[lengths.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> lengths[i]));
    List<int[]> groups = new ArrayList<>();
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      // sorted ascending, so the row being added is the longest so far
      while (end < order.length
          && end - start < maxRows
          && (long) (end - start + 1) * lengths[order[end]] <= budget) {
        end++;
      }
      int[] group = new int[end - start];
      for (int i = start; i < end; i++) {
        group[i - start] = order[i];
      }
      groups.add(group);
      start = end;
    }
    // sorted ascending within a group, so its last row is its longest
    groups.sort(Comparator.comparingLong((int[] g) -> (long) g.length * lengths[g[g.length - 1]]).reversed());
    return groups;
  }
}
