package io.batchwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.meters.MeterNames;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scrape endpoint, over real HTTP on the loopback interface. */
class PrometheusEndpointTest {
  private final PrometheusMeterRegistry registry = BatchwiseMetrics.newPrometheusRegistry();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void closeRegistry() {
    registry.close();
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesThePrometheusTextFormatOnLoopback() throws Exception {
    registry
        .counter(
            MeterNames.JOB_ITEMS,
            MeterNames.TAG_JOB,
            "nightly",
            MeterNames.TAG_OUTCOME,
            "succeeded")
        .increment(3);
    registry
        .timer(
            MeterNames.JOB_BATCH_LATENCY,
            MeterNames.TAG_JOB,
            "nightly",
            MeterNames.TAG_OUTCOME,
            "success")
        .record(Duration.ofMillis(120));
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0)) {
      assertThat(endpoint.port()).isPositive();
      assertThat(endpoint.uri().getHost())
          .isEqualTo(InetAddress.getLoopbackAddress().getHostAddress());

      HttpResponse<String> response = get(endpoint.uri().resolve("/metrics"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValue(PrometheusEndpoint.PROMETHEUS_TEXT);
      assertThat(response.body())
          .contains("batchwise_job_items_total{job=\"nightly\",outcome=\"succeeded\"} 3.0")
          .contains(
              "batchwise_job_batch_latency_seconds_count{job=\"nightly\",outcome=\"success\"} 1")
          .contains("# TYPE batchwise_job_batch_latency_seconds histogram")
          .containsPattern(
              "batchwise_job_batch_latency_seconds_bucket\\{job=\"nightly\",outcome=\"success\",le=\"0\\.1\\d*\"} 0")
          .contains(
              "batchwise_job_batch_latency_seconds_bucket{job=\"nightly\",outcome=\"success\",le=\"+Inf\"} 1");
    }
  }

  @Test
  void servesTheJsonSnapshotBesideIt() throws Exception {
    registry.counter(MeterNames.CACHE_HITS, MeterNames.TAG_CACHE, "sqlite").increment(7);
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0)) {
      HttpResponse<String> response = get(endpoint.uri().resolve("/snapshot.json"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode hits = null;
      for (JsonNode m : new ObjectMapper().readTree(response.body()).get("meters")) {
        if (m.get("name").asText().equals(MeterNames.CACHE_HITS)) {
          hits = m;
        }
      }
      assertThat(hits).isNotNull();
      assertThat(hits.get("count").asDouble()).isEqualTo(7.0);
      assertThat(hits.get("tags").get("cache").asText()).isEqualTo("sqlite");
    }
  }

  @Test
  void answersUnknownPathsAndMethodsWithErrors() throws Exception {
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0)) {
      assertThat(get(endpoint.uri().resolve("/metrics/extra")).statusCode()).isEqualTo(404);
      assertThat(get(endpoint.uri().resolve("/other")).statusCode()).isEqualTo(404);
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(endpoint.uri().resolve("/metrics"))
                  .POST(HttpRequest.BodyPublishers.ofString("x"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(post.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void closeFreesThePortAndTheThread() throws Exception {
    PrometheusEndpoint endpoint = PrometheusEndpoint.start(registry, 0);
    URI metrics = endpoint.uri().resolve("/metrics");
    assertThat(get(metrics).statusCode()).isEqualTo(200);

    endpoint.close();

    assertThatThrownBy(() -> get(metrics)).isInstanceOf(ConnectException.class);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("batchwise-metrics-endpoint") && t.isAlive());
  }

  @Test
  void thePrometheusRegistryStillGivesTheReportItsPercentiles() {
    var latency =
        registry.timer(
            MeterNames.JOB_BATCH_LATENCY,
            MeterNames.TAG_JOB,
            "p",
            MeterNames.TAG_OUTCOME,
            "success");
    for (int ms = 1; ms <= 100; ms++) {
      latency.record(Duration.ofMillis(ms));
    }
    JobReport report = JobReport.from(registry, "p");
    assertThat(report.p50()).isNotNull();
    assertThat(report.p99().toMillis()).isBetween(90L, 110L);
  }

  @Test
  void rejectsPortsOutOfRange() {
    assertThatThrownBy(() -> PrometheusEndpoint.start(registry, 70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[0, 65535]");
  }

  @Test
  void namesTheAddressWhenThePortIsTaken() {
    try (PrometheusEndpoint first = PrometheusEndpoint.start(registry, 0)) {
      assertThatThrownBy(() -> PrometheusEndpoint.start(registry, first.port()))
          .hasMessageContaining("cannot serve metrics on")
          .hasMessageContaining(String.valueOf(first.port()));
    }
  }
}
