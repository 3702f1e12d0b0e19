// Micrometer's Prometheus registry is an automatic module that names itself in its manifest
/**
 * Metrics: meter binders, a Prometheus scrape endpoint, JSON snapshots and the end-of-job report.
 *
 * <p>Exports only {@link io.batchwise.metrics}.
 */
@SuppressWarnings({"requires-transitive-automatic"})
module io.batchwise.metrics {
  requires transitive io.batchwise.core;
  // BatchwiseMetrics and PrometheusEndpoint take and return Prometheus registries; CaffeineBinder
  // binds Caffeine caches
  requires transitive micrometer.registry.prometheus;
  requires transitive com.github.benmanes.caffeine;
  // JobReport and MeterSnapshot hand out Jackson trees
  requires transitive com.fasterxml.jackson.databind;
  requires jdk.httpserver;
  requires org.slf4j;

  exports io.batchwise.metrics;
}
