package io.batchwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchwiseMetricsTest {

  @Test
  void givesBatchwiseTimersPercentilesAndLeavesOtherTimersAlone() {
    SimpleMeterRegistry registry = BatchwiseMetrics.configure(new SimpleMeterRegistry());
    Timer ours = registry.timer("batchwise.job.batch.latency");
    Timer theirs = registry.timer("app.other");
    ours.record(Duration.ofMillis(10));
    theirs.record(Duration.ofMillis(10));

    assertThat(ours.takeSnapshot().percentileValues())
        .extracting(v -> v.percentile())
        .containsExactly(0.5, 0.95, 0.99);
    assertThat(theirs.takeSnapshot().percentileValues()).isEmpty();
  }

  @Test
  void canLeaveOutThePrometheusHistogram() {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry registry =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    registry.config().meterFilter(BatchwiseMetrics.percentiles(Duration.ofMinutes(1), false));
    registry.timer("batchwise.embed.latency").record(Duration.ofMillis(3));
    assertThat(registry.scrape())
        .contains("batchwise_embed_latency_seconds{quantile=\"0.95\"}")
        .doesNotContain("_bucket");
    registry.close();
  }

  @Test
  void rejectsAWindowThatIsNotPositive() {
    assertThatThrownBy(() -> BatchwiseMetrics.percentiles(Duration.ZERO, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive");
  }
}
