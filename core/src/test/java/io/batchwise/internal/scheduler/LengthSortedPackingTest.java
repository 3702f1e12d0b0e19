package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.Packers;
import io.batchwise.spi.ModelInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class LengthSortedPackingTest {

  @RepeatedTest(200)
  @DisplayName(
      "keeps rows x padded length within the budget, summed tokens within the call limit, and every text exactly once")
  void respectsTokenPositionBudget(RepetitionInfo rep) {
    Random random = new Random(rep.getCurrentRepetition());
    int maxInputs = 1 + random.nextInt(64);
    int budget = 256 + random.nextInt(8192);
    int maxTokens = random.nextBoolean() ? ModelInfo.NO_LIMIT : 256 + random.nextInt(4096);
    int[] tokens = new int[random.nextInt(2000)];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = 1 + random.nextInt(256);
    }
    List<int[]> calls = Packers.parallelGather(tokens, maxInputs, maxTokens, budget);
    BitSet seen = new BitSet();
    for (int[] call : calls) {
      assertThat(call.length).isBetween(1, maxInputs);
      int longest = 0;
      long sum = 0;
      for (int pos : call) {
        assertThat(seen.get(pos)).as("position %d packed twice", pos).isFalse();
        seen.set(pos);
        longest = Math.max(longest, tokens[pos]);
        sum += tokens[pos];
      }
      assertThat((long) call.length * longest).isLessThanOrEqualTo(budget);
      assertThat(sum).isLessThanOrEqualTo(maxTokens);
    }
    assertThat(seen.cardinality()).isEqualTo(tokens.length);
  }

  @Test
  @DisplayName("groups texts of like length, so padding waste is small compared to input order")
  void sortingCutsPadding() {
    int[] tokens =
        thousandTexts(
            7, random -> random.nextBoolean() ? 8 + random.nextInt(8) : 200 + random.nextInt(56));
    List<int[]> bucketed = Packers.parallelGather(tokens, 32, ModelInfo.NO_LIMIT, 32 * 256);
    assertThat(paddingEfficiency(bucketed, tokens)).isGreaterThan(0.9);
    // the same texts in input order, 32 at a time, as a naive batcher would send them
    List<int[]> naive = new ArrayList<>();
    for (int i = 0; i < tokens.length; i += 32) {
      int[] call = new int[Math.min(32, tokens.length - i)];
      for (int k = 0; k < call.length; k++) {
        call[k] = i + k;
      }
      naive.add(call);
    }
    assertThat(paddingEfficiency(naive, tokens)).isLessThan(0.7);
  }

  @Test
  @DisplayName("hands out the heaviest micro-batches first, so the last to finish are short")
  void heaviestFirst() {
    int[] tokens = thousandTexts(11, random -> 1 + random.nextInt(256));
    List<int[]> calls = Packers.parallelGather(tokens, 64, ModelInfo.NO_LIMIT, 512);
    long previous = Long.MAX_VALUE;
    for (int[] call : calls) {
      int longest = 0;
      for (int pos : call) {
        longest = Math.max(longest, tokens[pos]);
      }
      long padded = (long) call.length * longest;
      assertThat(padded)
          .as("padded positions of a later micro-batch")
          .isLessThanOrEqualTo(previous);
      previous = padded;
    }
    // equal weights go longest rows first: the first is a pair of the longest texts
    int longestText = Arrays.stream(tokens).max().orElseThrow();
    assertThat(calls.get(0)).hasSize(2);
    assertThat(tokens[calls.get(0)[1]]).isEqualTo(longestText);
  }

  /**
   * The token counts of 1,000 texts, each drawn by {@code length} from a generator seeded with
   * {@code seed}.
   */
  private static int[] thousandTexts(long seed, ToIntFunction<Random> length) {
    Random random = new Random(seed);
    int[] tokens = new int[1000];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = length.applyAsInt(random);
    }
    return tokens;
  }

  private static double paddingEfficiency(List<int[]> calls, int[] tokens) {
    long real = 0;
    long padded = 0;
    for (int[] call : calls) {
      int longest = 0;
      for (int pos : call) {
        real += tokens[pos];
        longest = Math.max(longest, tokens[pos]);
      }
      padded += (long) longest * call.length;
    }
    return (double) real / padded;
  }
}
