package io.batchwise.benchmarks.harness;

import java.util.Arrays;
import java.util.List;

/**
 * The timings of one contender over several rounds, and their median. Immutable.
 *
 * @param name what was measured, e.g. {@code sequential awaits}
 * @param seconds wall time of each round, in run order
 * @param units work done per round (texts, items, lookups), for throughput
 */
public record Measurement(String name, List<Double> seconds, long units) {

  /**
   * The median round time.
   *
   * @return seconds
   */
  public double medianSeconds() {
    double[] s = seconds.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /**
   * Units per second at the median round time.
   *
   * @return throughput
   */
  public double unitsPerSecond() {
    return units / medianSeconds();
  }
}
