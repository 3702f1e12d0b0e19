package io.batchwise.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchwise.config.Config;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobReportTest {
  private final SimpleMeterRegistry registry =
      BatchwiseMetrics.configure(new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MockClock()));

  private void items(String job, String outcome, int n) {
    registry
        .counter(MeterNames.JOB_ITEMS, MeterNames.TAG_JOB, job, MeterNames.TAG_OUTCOME, outcome)
        .increment(n);
  }

  private void recordKnownRun() {
    items("nightly", "succeeded", 90);
    items("nightly", "failed", 6);
    items("nightly", "cancelled", 3);
    items("nightly", "skipped", 1);
    items("other", "succeeded", 1000);
    registry
        .timer(
            MeterNames.JOB_DURATION,
            MeterNames.TAG_JOB,
            "nightly",
            MeterNames.TAG_OUTCOME,
            "completed")
        .record(Duration.ofSeconds(20));
    var latency =
        registry.timer(
            MeterNames.JOB_BATCH_LATENCY,
            MeterNames.TAG_JOB,
            "nightly",
            MeterNames.TAG_OUTCOME,
            "success");
    for (int ms = 1; ms <= 100; ms++) {
      latency.record(Duration.ofMillis(ms));
    }
    registry
        .timer(
            MeterNames.JOB_BATCH_LATENCY,
            MeterNames.TAG_JOB,
            "nightly",
            MeterNames.TAG_OUTCOME,
            "failure")
        .record(Duration.ofSeconds(9));
    registry.counter(MeterNames.CACHE_HITS, MeterNames.TAG_CACHE, "sqlite").increment(30);
    registry.counter(MeterNames.CACHE_MISSES, MeterNames.TAG_CACHE, "sqlite").increment(10);
    registry.counter(MeterNames.JOB_RETRIES, MeterNames.TAG_JOB, "nightly").increment(4);
    registry.counter(MeterNames.JOB_TIMEOUTS, MeterNames.TAG_JOB, "nightly").increment(2);
    registry.counter(MeterNames.JOB_TOKENS, MeterNames.TAG_JOB, "nightly").increment(12_345);
    registry.counter(MeterNames.JOB_TOKENS, MeterNames.TAG_JOB, "other").increment(5);
    registry
        .counter(
            MeterNames.EMBED_INPUTS, MeterNames.TAG_PROVIDER, "openai", MeterNames.TAG_MODEL, "m")
        .increment(400);
    registry
        .counter(
            MeterNames.EMBED_FAILURES, MeterNames.TAG_PROVIDER, "openai", MeterNames.TAG_MODEL, "m")
        .increment(24);
  }

  @Test
  void computesEveryFigureFromKnownValues() {
    recordKnownRun();

    JobReport r = JobReport.from(registry, "nightly");

    assertThat(r.items()).isEqualTo(100);
    assertThat(r.succeeded()).isEqualTo(90);
    assertThat(r.failures()).isEqualTo(6);
    assertThat(r.cancelled()).isEqualTo(3);
    assertThat(r.skipped()).isEqualTo(1);
    assertThat(r.elapsed()).isEqualTo(Duration.ofSeconds(20));
    assertThat(r.itemsPerSecond()).isEqualTo(5.0);
    assertThat(r.inputs()).isEqualTo(400);
    assertThat(r.inputFailures()).isEqualTo(24);
    assertThat(r.inputsPerSecond()).isEqualTo(20.0);
    assertThat(r.batches()).isEqualTo(100);
    assertThat(r.p50().toNanos() / 1e6).isCloseTo(50, within(1.5));
    assertThat(r.p95().toNanos() / 1e6).isCloseTo(95, within(1.5));
    assertThat(r.p99().toNanos() / 1e6).isCloseTo(99, within(1.5));
    assertThat(r.cacheHits()).isEqualTo(30);
    assertThat(r.cacheMisses()).isEqualTo(10);
    assertThat(r.cacheHitRate()).isEqualTo(0.75);
    assertThat(r.retries()).isEqualTo(4);
    assertThat(r.timeouts()).isEqualTo(2);
    assertThat(r.tokens()).isEqualTo(12_345);
  }

  @Test
  void coversEveryJobWhenNoneIsNamedAndUsesTheGivenElapsedTime() {
    recordKnownRun();

    JobReport r = JobReport.from(registry, JobReport.ALL_JOBS, Duration.ofSeconds(11));

    assertThat(r.items()).isEqualTo(1100);
    assertThat(r.itemsPerSecond()).isEqualTo(100.0);
    assertThat(r.tokens()).isEqualTo(12_350);
  }

  @Test
  void printsAlignedTextAndJson() throws Exception {
    recordKnownRun();
    JobReport r = JobReport.from(registry, "nightly");

    String text = r.toText();
    assertThat(text)
        .startsWith("Batchwise job report (job: nightly)\n")
        .contains("  items      100  (succeeded 90, failed 6, cancelled 3, skipped 1)\n")
        .contains("  inputs     400  (failed 24)\n")
        .contains("  elapsed    20.000 s\n")
        .contains("  throughput 5.0 items/s, 20.0 inputs/s\n")
        .containsPattern(
            "  latency    p50 \\d+\\.\\d ms, p95 \\d+\\.\\d ms, p99 \\d+\\.\\d ms \\(100 batches\\)\n")
        .contains("  cache      hit rate 75.0% (30 hits, 10 misses)\n")
        .contains("  retries    4  (timeouts 2)\n")
        .contains("  tokens     12,345\n");

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("items").asLong()).isEqualTo(100);
    assertThat(json.get("elapsedMs").asDouble()).isEqualTo(20_000);
    assertThat(json.get("itemsPerSecond").asDouble()).isEqualTo(5.0);
    assertThat(json.get("batchLatencyMs").get("p95").asDouble()).isCloseTo(95, within(1.5));
    assertThat(json.get("cache").get("hitRate").asDouble()).isEqualTo(0.75);
    assertThat(json.get("tokens").asLong()).isEqualTo(12_345);
  }

  @Test
  void saysWhatIsUnknown() throws Exception {
    SimpleMeterRegistry plain = new SimpleMeterRegistry();
    plain
        .timer(
            MeterNames.JOB_BATCH_LATENCY,
            MeterNames.TAG_JOB,
            "j",
            MeterNames.TAG_OUTCOME,
            "success")
        .record(Duration.ofMillis(5));

    JobReport r = JobReport.from(plain, "j");

    assertThat(r.p50()).isNull();
    assertThat(r.cacheHitRate()).isNaN();
    assertThat(r.itemsPerSecond()).isZero();
    assertThat(r.toText())
        .contains("latency    n/a (1 batches; no percentiles published")
        .contains("cache      no lookups");
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("batchLatencyMs").get("p50").isNull()).isTrue();
    assertThat(json.get("cache").get("hitRate").isNull()).isTrue();
  }

  @Test
  void reportsARealSchedulerJob() {
    MeterRegistry live = BatchwiseMetrics.configure(new SimpleMeterRegistry());
    Agent<String, Integer> agent =
        batch ->
            batch.items().contains("w7")
                ? CompletableFuture.failedFuture(CallFailedException.permanent("refused", null))
                : CompletableFuture.completedFuture(
                    batch.items().stream().map(String::length).toList());
    try (Scheduler scheduler =
        FactoryRegistry.of(SchedulerFactory.class)
            .find("local")
            .create(
                FactoryContext.of(
                    Config.of(Map.of(), Map.of()),
                    live,
                    new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), live),
                    null))) {
      scheduler
          .submit(
              IntStream.range(0, 20).mapToObj(i -> "w" + i).toList(),
              agent,
              JobOptions.<String>builder()
                  .name("e2e")
                  .maxItems(4)
                  .tokenCounter(s -> 2)
                  .retryPolicy(RetryPolicy.NONE)
                  .build())
          .completion()
          .join();
    }

    JobReport r = JobReport.from(live, "e2e");

    assertThat(r.items()).isEqualTo(20);
    assertThat(r.succeeded()).isEqualTo(16);
    assertThat(r.failures()).isEqualTo(4);
    assertThat(r.batches()).isEqualTo(4);
    assertThat(r.p50()).isNotNull();
    assertThat(r.tokens()).isEqualTo(40);
    assertThat(r.elapsed()).isPositive();
  }
}
