package io.batchwise.benchmarks.harness;

/**
 * One section of the macro benchmark report: it runs its comparisons (each with its baseline, in
 * the same process) and returns Markdown for {@code BENCHMARKS.md}.
 */
public interface MacroBenchmark {

  /**
   * The section title.
   *
   * @return e.g. {@code OpenAI-compatible server with 100 ms latency}
   */
  String title();

  /**
   * Runs the section.
   *
   * @param quick whether to scale every N down so that the whole quick suite fits in three minutes
   * @return the section's Markdown: tables, ratios against the baseline, and how to reproduce them
   * @throws Exception when a comparison fails
   */
  String run(boolean quick) throws Exception;
}
