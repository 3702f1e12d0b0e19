package io.batchwise.benchmarks.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * Runs a baseline and one or more candidates in one process, rounds interleaved (baseline,
 * candidate, baseline, ...) so drift in the machine's state hits all alike, after warm-up rounds
 * that are not counted; reports each one's median and its speed-up over the baseline.
 *
 * <pre>{@code
 * Comparison.Result r = Comparison.of("embedding 500 texts", 500)
 *     .baseline("one call per text", () -> naive())
 *     .candidate("batchwise", () -> batched())
 *     .run(1, 5);
 * double speedUp = r.ratio("batchwise");  // baseline median / candidate median
 * }</pre>
 */
public final class Comparison {
  private final String title;
  private final long units;
  private final Map<String, Callable<?>> contenders = new LinkedHashMap<>();
  private String baseline;
  private Runnable setup = () -> {};
  private boolean collectGarbage;
  private LongSupplier ticker = System::nanoTime;

  private Comparison(String title, long units) {
    this.title = title;
    this.units = units;
  }

  /**
   * Starts a comparison.
   *
   * @param title what is compared
   * @param units work per round, for throughput
   * @return the comparison
   */
  public static Comparison of(String title, long units) {
    return new Comparison(title, units);
  }

  /**
   * Sets the baseline (exactly once, before the candidates).
   *
   * @param name its label
   * @param round one round of work
   * @return this
   */
  public Comparison baseline(String name, Callable<?> round) {
    if (baseline != null) {
      throw new IllegalStateException("baseline already set to '" + baseline + "'");
    }
    baseline = name;
    contenders.put(name, round);
    return this;
  }

  /**
   * Adds a candidate.
   *
   * @param name its label, unique
   * @param round one round of work
   * @return this
   */
  public Comparison candidate(String name, Callable<?> round) {
    if (baseline == null) {
      throw new IllegalStateException("set the baseline first");
    }
    if (contenders.putIfAbsent(name, round) != null) {
      throw new IllegalArgumentException("contender '" + name + "' added twice");
    }
    return this;
  }

  /**
   * Sets work to do, untimed, before every round of every contender (warm-ups included): making a
   * round's fresh input, for example, which is not what the contenders are compared on.
   *
   * @param setup the work
   * @return this
   */
  public Comparison beforeEachRound(Runnable setup) {
    this.setup = Objects.requireNonNull(setup, "setup");
    return this;
  }

  /**
   * Collects garbage, untimed, before every round of every contender (after its setup): the garbage
   * earlier rounds left — another contender's, or the setup's — is then not collected on this
   * round's clock, while whatever the round allocates itself still is. For short rounds interleaved
   * with a contender that allocates a lot, where one inherited collection is a large share of a
   * round.
   *
   * @return this
   */
  public Comparison collectGarbageBeforeEachRound() {
    this.collectGarbage = true;
    return this;
  }

  /**
   * Reads time from {@code ticker} instead of {@link System#nanoTime()}, so a test can say exactly
   * how long each round took.
   *
   * @param ticker a monotonic reading in nanoseconds
   * @return this
   */
  Comparison ticker(LongSupplier ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /** The untimed work before a round: the setup, then a collection if asked for. */
  private void prepareRound() {
    setup.run();
    if (collectGarbage) {
      System.gc();
    }
  }

  /**
   * Runs the warm-up rounds, then the measured rounds interleaved.
   *
   * @param warmups uncounted rounds per contender, at least 0
   * @param rounds counted rounds per contender, at least 1
   * @return the measurements
   * @throws Exception when a round fails
   */
  public Result run(int warmups, int rounds) throws Exception {
    if (baseline == null) {
      throw new IllegalStateException("no baseline set");
    }
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds was " + rounds + "; it must be at least 1");
    }
    for (int w = 0; w < warmups; w++) {
      for (Callable<?> c : contenders.values()) {
        prepareRound();
        c.call();
      }
    }
    Map<String, List<Double>> times = new LinkedHashMap<>();
    contenders.keySet().forEach(k -> times.put(k, new ArrayList<>()));
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Callable<?>> e : contenders.entrySet()) {
        prepareRound();
        long start = ticker.getAsLong();
        e.getValue().call();
        times.get(e.getKey()).add((ticker.getAsLong() - start) / 1e9);
      }
    }
    List<Measurement> ms = new ArrayList<>();
    times.forEach((k, v) -> ms.add(new Measurement(k, v, units)));
    return new Result(title, baseline, ms);
  }

  /**
   * The outcome of a comparison.
   *
   * @param title what was compared
   * @param baseline the baseline's name
   * @param measurements every contender's timings, baseline first
   */
  public record Result(String title, String baseline, List<Measurement> measurements) {

    /**
     * A contender's measurement.
     *
     * @param name its label
     * @return the measurement
     */
    public Measurement get(String name) {
      return measurements.stream()
          .filter(m -> m.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no contender '" + name + "'"));
    }

    /**
     * The speed-up of {@code name} over the baseline: baseline median time / its median time.
     *
     * @param name a contender
     * @return the ratio (above 1 = faster than the baseline)
     */
    public double ratio(String name) {
      return get(baseline).medianSeconds() / get(name).medianSeconds();
    }

    /**
     * A Markdown table: contender, median seconds, units/s, ratio to baseline.
     *
     * @param unitName what a unit is, e.g. {@code texts}
     * @return the table
     */
    public String toMarkdown(String unitName) {
      StringBuilder b = new StringBuilder();
      b.append("| ")
          .append(title)
          .append(" | median s | ")
          .append(unitName)
          .append("/s | × baseline |\n");
      b.append("|---|---:|---:|---:|\n");
      for (Measurement m : measurements) {
        b.append(
            String.format(
                Locale.ROOT,
                "| %s%s | %.4f | %.1f | %.2f |%n",
                m.name(),
                m.name().equals(baseline) ? " (baseline)" : "",
                m.medianSeconds(),
                m.unitsPerSecond(),
                ratio(m.name())));
      }
      return b.toString();
    }
  }
}
