package io.batchwise.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The command line's meter registry keeps percentiles for the one timer its end-of-job report
 * reads, the provider-call latency, and no percentile histogram for any other timer.
 */
class ProviderOptionsTest {
  private static Timer timer(MeterRegistry registry, String name) {
    Timer t = Timer.builder(name).tag(MeterNames.TAG_OUTCOME, "success").register(registry);
    for (int ms = 1; ms <= 100; ms++) {
      t.record(Duration.ofMillis(ms));
    }
    return t;
  }

  @Test
  @DisplayName("the call-latency timer publishes p50, p95 and p99; a cache's timer publishes none")
  void percentilesOnlyWhereTheReportReadsThem() {
    MeterRegistry registry = ProviderOptions.newRegistry();

    ValueAtPercentile[] calls =
        timer(registry, MeterNames.EMBED_CALL_LATENCY).takeSnapshot().percentileValues();
    ValueAtPercentile[] cache =
        timer(registry, MeterNames.CACHE_LOAD).takeSnapshot().percentileValues();

    assertThat(Arrays.stream(calls).mapToDouble(ValueAtPercentile::percentile))
        .containsExactly(0.5, 0.95, 0.99);
    assertThat(calls[1].value(TimeUnit.MILLISECONDS)).isBetween(90.0, 100.0);
    assertThat(cache).isEmpty();
  }
}
