package io.batchwise.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Objects;

/**
 * Registry set-up for Batchwise's meters: percentiles for every {@code batchwise.*} timer, and a
 * Prometheus registry that has them.
 *
 * <p>Filters apply to meters registered after them, so configure a registry before handing it to
 * {@code Batchwise.builder()}.
 *
 * <pre>{@code
 * PrometheusMeterRegistry prometheus = BatchwiseMetrics.newPrometheusRegistry();
 * try (Batchwise bw = Batchwise.builder().meterRegistry(prometheus).build();
 *      PrometheusEndpoint endpoint = PrometheusEndpoint.start(prometheus, 9464)) {
 *   bw.embedder().embedAll(texts);
 *   System.out.println(JobReport.from(prometheus, "embed").toText());
 * }
 * }</pre>
 */
public final class BatchwiseMetrics {
  /** The percentiles every Batchwise timer publishes. */
  public static final double[] PERCENTILES = {0.5, 0.95, 0.99};

  /**
   * How far back percentiles look unless set: long enough that an end-of-job report covers the
   * whole of a long job rather than its last minutes (Micrometer's own default is two minutes).
   */
  public static final Duration DEFAULT_PERCENTILE_WINDOW = Duration.ofHours(6);

  private static final String PREFIX = "batchwise.";

  private BatchwiseMetrics() {}

  /**
   * Percentiles (p50, p95, p99) over {@link #DEFAULT_PERCENTILE_WINDOW} and a percentile histogram
   * for every {@code batchwise.*} timer.
   *
   * @return the filter
   */
  public static MeterFilter percentiles() {
    return percentiles(DEFAULT_PERCENTILE_WINDOW, true);
  }

  /**
   * Percentiles for every {@code batchwise.*} timer.
   *
   * @param window how far back percentiles look, positive
   * @param histogram whether to publish a percentile histogram too (for Prometheus' {@code
   *     histogram_quantile}; about 70 buckets per timer)
   * @return the filter
   * @throws IllegalArgumentException when the window is not positive
   */
  public static MeterFilter percentiles(Duration window, boolean histogram) {
    Objects.requireNonNull(window, "window");
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException(
          "percentile window was " + window + "; it must be positive");
    }
    DistributionStatisticConfig ours =
        DistributionStatisticConfig.builder()
            .percentiles(PERCENTILES)
            .percentilesHistogram(histogram)
            .expiry(window)
            .bufferLength(2)
            .percentilePrecision(2)
            .build();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() == Meter.Type.TIMER && id.getName().startsWith(PREFIX)) {
          return ours.merge(config);
        }
        return config;
      }
    };
  }

  /**
   * Adds {@link #percentiles()} to a registry.
   *
   * @param registry the registry, before Batchwise registers its meters
   * @param <R> the registry type
   * @return the registry
   */
  public static <R extends MeterRegistry> R configure(R registry) {
    registry.config().meterFilter(percentiles());
    return registry;
  }

  /**
   * A Prometheus registry with {@link #percentiles()}.
   *
   * @return a new registry; the caller closes it
   */
  public static PrometheusMeterRegistry newPrometheusRegistry() {
    return configure(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }
}
