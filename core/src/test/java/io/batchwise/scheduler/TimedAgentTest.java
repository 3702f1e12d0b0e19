package io.batchwise.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimedAgentTest {
  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

  private static Batch<String> batch(String... items) {
    long[] indexes = new long[items.length];
    return new Batch<>(0, List.of(items), indexes, 0, 1);
  }

  @Test
  void recordsEachBatchFromCallToCompletionByOutcome() {
    CompletableFuture<List<Integer>> pending = new CompletableFuture<>();
    TimedAgent<String, Integer> timed =
        TimedAgent.of(b -> pending, registry, "app.agent", "team", "search");

    CompletableFuture<List<Integer>> result = timed.process(batch("a")).toCompletableFuture();
    clock.add(Duration.ofMillis(250));
    pending.complete(List.of(1));

    assertThat(result.join()).containsExactly(1);
    assertThat(
            registry
                .get("app.agent")
                .tags("team", "search", "outcome", "success")
                .timer()
                .totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(250);
    assertThat(registry.get("app.agent").tags("outcome", "failure").timer().count()).isZero();
  }

  @Test
  void recordsFailuresAndPassesThemOn() {
    TimedAgent<String, Integer> failing =
        TimedAgent.of(
            b -> CompletableFuture.failedFuture(new IllegalStateException("down")),
            registry,
            "app.agent");
    TimedAgent<String, Integer> throwing =
        TimedAgent.of(
            b -> {
              throw new IllegalArgumentException("bad");
            },
            registry,
            "app.agent");

    assertThat(failing.process(batch("a")).toCompletableFuture()).isCompletedExceptionally();
    assertThatThrownBy(() -> throwing.process(batch("a"))).hasMessage("bad");
    assertThat(registry.get("app.agent").tags("outcome", "failure").timer().count()).isEqualTo(2);
  }

  @Test
  void rejectsOddTags() {
    assertThatThrownBy(() -> TimedAgent.of(b -> null, registry, "x", "lonely"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pairs");
  }
}
