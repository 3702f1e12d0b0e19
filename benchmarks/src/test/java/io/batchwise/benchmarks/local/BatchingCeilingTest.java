package io.batchwise.benchmarks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.batchwise.providers.local.LocalTokenizerFactory;
import io.batchwise.spi.Tokenizer;
import org.junit.jupiter.api.Test;

class BatchingCeilingTest {
  /**
   * 1 ms per token one text per run; 8 per run halves that up to 48 tokens and buys nothing beyond.
   */
  private static BatchingCeiling halvedUpTo48() {
    double[][] ms = new double[BatchingCeiling.LENGTHS.length][BatchingCeiling.BATCHES.length];
    for (int l = 0; l < ms.length; l++) {
      int length = BatchingCeiling.LENGTHS[l];
      for (int b = 0; b < ms[l].length; b++) {
        boolean halved = BatchingCeiling.BATCHES[b] == 8 && length <= 48;
        ms[l][b] = halved ? length / 2.0 : length;
      }
    }
    return new BatchingCeiling(ms);
  }

  @Test
  void textsHaveExactlyTheLengthMeasured() {
    Tokenizer miniLm = new LocalTokenizerFactory().create("all-minilm-l6-v2");
    for (int length : BatchingCeiling.LENGTHS) {
      assertThat(miniLm.count(BatchingCeiling.textOf(length)))
          .as("length %d", length)
          .isEqualTo(length);
    }
  }

  @Test
  void theCeilingTakesTheFastestBatchSizeAtEveryLength() {
    BatchingCeiling ceiling = halvedUpTo48();
    assertThat(ceiling.ceiling(new int[] {8, 24})).isCloseTo(2.0, within(1e-9));
    assertThat(ceiling.ceiling(new int[] {256, 160})).isCloseTo(1.0, within(1e-9));
    // one 8-token text and one 256-token text: (8 + 256) / (4 + 256)
    assertThat(ceiling.ceiling(new int[] {8, 256})).isCloseTo(264.0 / 260.0, within(1e-9));
  }

  @Test
  void lengthsBetweenTheMeasuredOnesAreInterpolatedAndShorterOnesCostTheShortest() {
    BatchingCeiling ceiling = halvedUpTo48();
    // 72 tokens: one per run 48 + (96 - 48) / 2 = 72 ms, the fastest 24 + (96 - 24) / 2 = 60 ms
    assertThat(ceiling.ceiling(new int[] {72})).isCloseTo(1.2, within(1e-9));
    // 3 tokens cost what 8 do: a run's fixed cost dominates there
    assertThat(ceiling.ceiling(new int[] {3})).isCloseTo(2.0, within(1e-9));
    assertThat(ceiling.table())
        .contains("| 8 | 8.00 |")
        .contains("4.00 (2.00×)")
        .contains("| 256 | 256.00 |");
  }
}
