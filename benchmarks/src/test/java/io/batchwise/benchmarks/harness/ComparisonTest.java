package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The comparison harness, its rounds timed by a clock that only the rounds (and setups) move. */
class ComparisonTest {
  private static final long MILLI = 1_000_000;

  @Test
  @DisplayName(
      "interleaves rounds after the warm-ups and reports the baseline's time over each contender's")
  void interleavesAndReportsRatios() throws Exception {
    List<String> order = new ArrayList<>();
    AtomicLong clock = new AtomicLong();
    Comparison.Result r =
        Comparison.of("work", 10)
            .ticker(clock::get)
            .baseline(
                "slow",
                () -> {
                  order.add("slow");
                  clock.addAndGet(MILLI * 4);
                  return null;
                })
            .candidate(
                "fast",
                () -> {
                  order.add("fast");
                  clock.addAndGet(MILLI);
                  return null;
                })
            .run(1, 3);
    assertThat(order)
        .containsExactly("slow", "fast", "slow", "fast", "slow", "fast", "slow", "fast");
    assertThat(r.get("slow").seconds()).hasSize(3).containsOnly(0.004);
    assertThat(r.ratio("slow")).isEqualTo(1.0);
    assertThat(r.ratio("fast")).isGreaterThan(1.0).isEqualTo(4.0);
    assertThat(r.toMarkdown("items")).contains("| slow (baseline) |").contains("| fast |");
  }

  @Test
  @DisplayName("collectGarbageBeforeEachRound collects before every round of every contender")
  void collectsGarbageBeforeEachRound() throws Exception {
    long before = collections();
    Comparison.of("gc", 1)
        .collectGarbageBeforeEachRound()
        .baseline("a", () -> null)
        .candidate("b", () -> null)
        .run(1, 2);
    assertThat(collections() - before)
        .as("(1 warm-up + 2 rounds) x 2 contenders")
        .isGreaterThanOrEqualTo(6);
  }

  private static long collections() {
    long n = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  @Test
  @DisplayName("the setup runs before every round, warm-ups included, and its time is not counted")
  void setupIsUntimed() throws Exception {
    List<String> order = new ArrayList<>();
    AtomicLong clock = new AtomicLong();
    Comparison.Result r =
        Comparison.of("work", 10)
            .ticker(clock::get)
            .beforeEachRound(
                () -> {
                  order.add("setup");
                  clock.addAndGet(MILLI * 150); // far longer than a round
                })
            .baseline("a", () -> clock.addAndGet(MILLI) > 0 && order.add("a"))
            .candidate("b", () -> clock.addAndGet(MILLI) > 0 && order.add("b"))
            .run(1, 2);
    assertThat(order)
        .containsExactly(
            "setup", "a", "setup", "b", "setup", "a", "setup", "b", "setup", "a", "setup", "b");
    assertThat(r.get("a").seconds())
        .hasSize(2)
        .allSatisfy(s -> assertThat(s).isLessThan(0.15).isEqualTo(0.001));
    assertThat(r.get("b").seconds())
        .hasSize(2)
        .allSatisfy(s -> assertThat(s).isLessThan(0.15).isEqualTo(0.001));
  }

  @Test
  @DisplayName("computes medians of odd and even round counts")
  void medians() {
    assertThat(new Measurement("m", List.of(3.0, 1.0, 2.0), 1).medianSeconds()).isEqualTo(2.0);
    assertThat(new Measurement("m", List.of(4.0, 1.0, 2.0, 3.0), 1).medianSeconds()).isEqualTo(2.5);
  }

  @Test
  @DisplayName("needs a baseline before candidates")
  void baselineFirst() {
    assertThatThrownBy(() -> Comparison.of("x", 1).candidate("c", () -> null))
        .hasMessageContaining("baseline first");
  }
}
