package io.batchwise.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.cache.spi.CircuitBreaker.State;
import io.batchwise.cache.testing.FakeTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  final FakeTicker ticker = new FakeTicker();
  final List<String> transitions = new ArrayList<>();
  final CircuitBreaker breaker =
      new CircuitBreaker(
          3,
          Duration.ofSeconds(30),
          ticker,
          (from, to, cause) -> transitions.add(from + "->" + to));
  final RuntimeException failure = new RuntimeException("down");

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure(failure);
    }
  }

  @Test
  void opensOnlyAfterTheThresholdOfConsecutiveFailures() {
    fail(2);
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onSuccess(); // resets the count
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void refusesCallsUntilTheCoolDownThenLetsExactlyOneProbeThrough() {
    fail(3);
    ticker.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).as("the probe").isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).as("a second caller while probing").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void aFailedProbeStartsANewCoolDown() {
    fail(3);
    ticker.advance(Duration.ofSeconds(30));
    fail(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    ticker.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(transitions)
        .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN");
  }

  @Test
  void rejectsAThresholdBelowOne() {
    assertThatThrownBy(() -> new CircuitBreaker(0, Duration.ofSeconds(1), ticker, (a, b, c) -> {}))
        .hasMessageContaining("cache.breaker.failure-threshold")
        .hasMessageContaining("0");
  }
}
