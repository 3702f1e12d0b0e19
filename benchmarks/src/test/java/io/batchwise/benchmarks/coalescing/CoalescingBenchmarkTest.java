package io.batchwise.benchmarks.coalescing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The percentile arithmetic the coalescing section's latency target rests on. */
class CoalescingBenchmarkTest {
  @Test
  @DisplayName(
      "the nearest-rank p99 of n values is the value that tailRank counts from the slowest")
  void tailRankMatchesThePercentile() {
    for (int n : new int[] {1, 24, 100, 160, 512, 10_240}) {
      long[] values = new long[n];
      for (int i = 0; i < n; i++) {
        values[i] = (i * 7919L) % n; // each of 0..n-1 once, out of order (7919 is prime)
      }
      long p99 = (long) CoalescingBenchmark.percentile(values, 0.99);
      // value v is the (n - v)-th slowest
      assertThat(n - p99).as("n=%d", n).isEqualTo(CoalescingBenchmark.tailRank(n));
    }
    assertThat(CoalescingBenchmark.tailRank(160)).isEqualTo(2);
    assertThat(CoalescingBenchmark.tailRank(10_240)).isEqualTo(103);
  }
}
