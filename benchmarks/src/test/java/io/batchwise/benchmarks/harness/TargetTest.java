package io.batchwise.benchmarks.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TargetTest {

  @Test
  @DisplayName("an at-least target passes at and above its threshold and misses below it")
  void atLeast() {
    assertThat(Target.atLeast("x", 2.0, 2.0, "×").passed()).isTrue();
    assertThat(Target.atLeast("x", 1.99, 2.0, "×").passed()).isFalse();
    assertThat(Target.atLeast("speed-up", 3.456, 1.5, "×").toMarkdownRow())
        .isEqualTo("| speed-up | 3.46× | ≥ 1.50× | PASS |" + System.lineSeparator());
  }

  @Test
  @DisplayName("an at-most target passes at and below its threshold and misses above it")
  void atMost() {
    assertThat(Target.atMost("latency", 25.0, 25.0, " ms").passed()).isTrue();
    assertThat(Target.atMost("latency", 31.2, 25.0, " ms").toMarkdownRow())
        .isEqualTo("| latency | 31.2 ms | ≤ 25.0 ms | MISS |" + System.lineSeparator());
  }

  @Test
  @DisplayName("a measurement that failed (NaN) never passes")
  void nanMisses() {
    assertThat(Target.atLeast("x", Double.NaN, 0, "×").passed()).isFalse();
    assertThat(Target.atMost("x", Double.NaN, 100, "×").passed()).isFalse();
  }
}
