package io.batchwise.benchmarks.local;

import io.batchwise.spi.CallContext;
import io.batchwise.spi.EmbeddingProvider;
import io.batchwise.spi.InputType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What batching can buy at all on the machine it runs on: the time per row of one session run of
 * {@code B} rows of exactly {@code L} tokens, for a few lengths and batch sizes, measured through
 * the provider on one thread with the batch sizes interleaved, and from it the best any
 * length-sorted strategy could do on a corpus: every text run in the batch size fastest for its
 * length, with no padding and no pipeline.
 *
 * <p>Batching saves the fixed cost of a session run; it does not make a token cheaper, and at long
 * lengths a batch's activations leave the CPU caches. So the ceiling over one text per run depends
 * on the corpus's lengths, not on the strategy's code.
 */
final class BatchingCeiling {
  /** The lengths measured, in tokens with the special tokens; the model's limit last. */
  static final int[] LENGTHS = {8, 24, 48, 96, 160, 256};

  /** The batch sizes measured; 1 is one text per run. */
  static final int[] BATCHES = {1, 2, 4, 8};

  /** Rows each batch size embeds per cycle: the same work for every size. */
  private static final int ROWS_PER_CYCLE = 8;

  /**
   * Token positions each batch size runs per length: enough work to time above the noise, little
   * enough for the full suite.
   */
  private static final int POSITIONS_PER_LENGTH = 6_000;

  /** Milliseconds per row, [length][batch size]. */
  private final double[][] msPerRow;

  /**
   * A measurement already taken.
   *
   * @param msPerRow milliseconds per row, [length][batch size], in the order of {@link #LENGTHS}
   *     and {@link #BATCHES}
   */
  BatchingCeiling(double[][] msPerRow) {
    this.msPerRow = msPerRow;
  }

  /**
   * Measures every length and batch size, a warm-up cycle first, the batch sizes interleaved in
   * every cycle.
   *
   * @param oneRunAtATime a provider that runs one micro-batch at a time with one intra-op thread,
   *     with a budget that takes 8 rows of the longest length as one run
   * @return the measurement
   */
  static BatchingCeiling measure(EmbeddingProvider oneRunAtATime) {
    double[][] ms = new double[LENGTHS.length][BATCHES.length];
    for (int l = 0; l < LENGTHS.length; l++) {
      int length = LENGTHS[l];
      List<String> rows = Collections.nCopies(ROWS_PER_CYCLE, textOf(length));
      int cycles = Math.max(4, POSITIONS_PER_LENGTH / (ROWS_PER_CYCLE * length));
      long[] nanos = new long[BATCHES.length];
      for (int c = -1; c < cycles; c++) {
        for (int b = 0; b < BATCHES.length; b++) {
          long start = System.nanoTime();
          for (int from = 0; from < ROWS_PER_CYCLE; from += BATCHES[b]) {
            oneRunAtATime
                .embed(rows.subList(from, from + BATCHES[b]), CallContext.of(InputType.DOCUMENT))
                .join();
          }
          if (c >= 0) {
            nanos[b] += System.nanoTime() - start;
          }
        }
      }
      for (int b = 0; b < BATCHES.length; b++) {
        ms[l][b] = nanos[b] / 1e6 / cycles / ROWS_PER_CYCLE;
      }
    }
    return new BatchingCeiling(ms);
  }

  /** A text of exactly {@code length} MiniLM tokens: [CLS], one word-piece per word, [SEP]. */
  static String textOf(int length) {
    return String.join(" ", Collections.nCopies(length - 2, "word"));
  }

  /**
   * The ratio of one text per run to the best batch size for every text, over a corpus: the time
   * each text takes at its length, interpolated between the measured lengths, summed.
   *
   * @param tokens each text's tokens, within the longest measured length
   * @return how many times faster the best batching could be than one text per run
   */
  double ceiling(int[] tokens) {
    double one = 0;
    double best = 0;
    for (int t : tokens) {
      one += interpolate(t, 0);
      best += interpolate(t, -1);
    }
    return one / best;
  }

  /**
   * Milliseconds per row at {@code tokens}, for batch-size column {@code b}, or the fastest when
   * -1: linear between the measured lengths, flat below the shortest (where a run's fixed cost
   * dominates).
   */
  private double interpolate(int tokens, int b) {
    int last = LENGTHS.length - 1;
    if (tokens <= LENGTHS[0]) {
      return at(0, b);
    }
    if (tokens >= LENGTHS[last]) {
      return at(last, b);
    }
    int hi = 1;
    while (LENGTHS[hi] < tokens) {
      hi++;
    }
    double f = (double) (tokens - LENGTHS[hi - 1]) / (LENGTHS[hi] - LENGTHS[hi - 1]);
    return at(hi - 1, b) + f * (at(hi, b) - at(hi - 1, b));
  }

  private double at(int l, int b) {
    return b < 0 ? fastest(l) : msPerRow[l][b];
  }

  private double fastest(int l) {
    double min = Double.MAX_VALUE;
    for (double v : msPerRow[l]) {
      min = Math.min(min, v);
    }
    return min;
  }

  /**
   * The measurement as a Markdown table: a row per length, ms per row and the speed-up over one
   * text per run for every batch size.
   *
   * @return the table
   */
  String table() {
    StringBuilder md = new StringBuilder("| tokens per text |");
    List<String> heads = new ArrayList<>();
    for (int b : BATCHES) {
      heads.add(b == 1 ? "1 per run, ms/row" : b + " per run, ms/row (×)");
    }
    heads.forEach(h -> md.append(' ').append(h).append(" |"));
    md.append("\n|---:|");
    heads.forEach(h -> md.append("---:|"));
    md.append('\n');
    for (int l = 0; l < LENGTHS.length; l++) {
      md.append("| ").append(LENGTHS[l]).append(" |");
      for (int b = 0; b < BATCHES.length; b++) {
        md.append(
            b == 0
                ? String.format(Locale.ROOT, " %.2f |", msPerRow[l][b])
                : String.format(
                    Locale.ROOT,
                    " %.2f (%.2f×) |",
                    msPerRow[l][b],
                    msPerRow[l][0] / msPerRow[l][b]));
      }
      md.append('\n');
    }
    return md.toString();
  }
}
