package io.batchwise.meters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TimedFunctionTest {
  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

  @Test
  void timesEachCallByOutcome() {
    Function<String, Integer> slowLength =
        s -> {
          clock.add(Duration.ofMillis(s.length()));
          if (s.isEmpty()) {
            throw new IllegalArgumentException("empty");
          }
          return s.length();
        };
    Function<String, Integer> timed =
        TimedFunction.of(slowLength, registry, "app.length", "kind", "test");

    assertThat(timed.apply("abc")).isEqualTo(3);
    assertThat(timed.apply("abcdefg")).isEqualTo(7);
    assertThatThrownBy(() -> timed.apply("")).hasMessage("empty");

    var success = registry.get("app.length").tags("kind", "test", "outcome", "success").timer();
    assertThat(success.count()).isEqualTo(2);
    assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
    assertThat(registry.get("app.length").tags("outcome", "failure").timer().count()).isEqualTo(1);
  }
}
