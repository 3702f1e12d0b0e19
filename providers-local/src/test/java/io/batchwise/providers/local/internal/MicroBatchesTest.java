package io.batchwise.providers.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MicroBatchesTest {

  @ParameterizedTest
  @CsvSource({"1, 512, 2147483647", "7, 512, 2147483647", "300, 512, 2147483647", "300, 2048, 16", "300, 256, 1", "50, 100000, 2147483647"})
  void everyInputLandsInExactlyOneBatchThatFitsTheBudgetAndRows(int n, int budget, int maxRows) {
    Random random = new Random(n * 31L + budget);
    int[] lengths = IntStream.range(0, n).map(i -> 2 + random.nextInt(255)).toArray();
    List<int[]> groups = MicroBatches.plan(lengths, budget, maxRows);
    int[] seen = new int[n];
    for (int[] group : groups) {
      int longest = Arrays.stream(group).map(i -> lengths[i]).max().orElseThrow();
      assertThat((long) longest * group.length).isLessThanOrEqualTo(budget);
      assertThat(group.length).isLessThanOrEqualTo(maxRows);
      for (int i : group) {
        seen[i]++;
      }
    }
    assertThat(seen).containsOnly(1);
  }

  @ParameterizedTest
  @CsvSource({"512", "4096"})
  void sortedBatchesWasteLittleOnPadding(int budget) {
    Random random = new Random(1);
    int[] lengths = IntStream.range(0, 1_000).map(i -> 2 + random.nextInt(255)).toArray();
    long real = Arrays.stream(lengths).sum();
    long padded = 0;
    for (int[] group : MicroBatches.plan(lengths, budget, Integer.MAX_VALUE)) {
      padded += (long) group.length * Arrays.stream(group).map(i -> lengths[i]).max().orElseThrow();
    }
    assertThat((double) real / padded).isGreaterThan(0.9);
  }

  @ParameterizedTest
  @CsvSource({"512, 2147483647", "2048, 16"})
  void heaviestBatchesComeFirst(int budget, int maxRows) {
    Random random = new Random(budget);
    int[] lengths = IntStream.range(0, 500).map(i -> 2 + random.nextInt(255)).toArray();
    long previous = Long.MAX_VALUE;
    for (int[] group : MicroBatches.plan(lengths, budget, maxRows)) {
      long padded = (long) group.length * Arrays.stream(group).map(i -> lengths[i]).max().orElseThrow();
      assertThat(padded).isLessThanOrEqualTo(previous);
      previous = padded;
    }
  }

  @ParameterizedTest
  @CsvSource({"10, 1000"})
  void aCallThatFitsIsKeptWholeInInputOrder(int n, int budget) {
    int[] lengths = {30, 5, 90, 12, 7, 60, 3, 99, 40, 8};
    assertThat(MicroBatches.plan(lengths, budget, Integer.MAX_VALUE))
        .singleElement()
        .satisfies(g -> assertThat(g).containsExactly(IntStream.range(0, n).toArray()));
  }
}
