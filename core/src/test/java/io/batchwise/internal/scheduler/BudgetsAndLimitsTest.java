package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Token budget, in-flight bytes, rate limits, adaptive concurrency and batch size, under a manual
 * clock.
 */
class BudgetsAndLimitsTest extends ManualScheduler {

  private static <T> ScriptedAgent<T, T> echo() {
    return new ScriptedAgent<>(b -> CompletableFuture.completedFuture(b.items()));
  }

  private double gauge(String name) {
    return registry.get(name).tag(MeterNames.TAG_JOB, "job").gauge().value();
  }

  @Test
  @DisplayName(
      "the token budget stops before a batch would exceed it; its items are SKIPPED and the reason given")
  void tokenBudget() {
    CountingSource<String> source = CountingSource.words(100);
    ScriptedAgent<String, String> agent = echo();
    JobResult<String, String> result =
        scheduler
            .submit(
                source,
                agent,
                JobOptions.<String>builder()
                    .maxItems(2)
                    .concurrency(1)
                    .tokenCounter(s -> 10)
                    .tokenBudget(45)
                    .build())
            .completion()
            .join();

    assertThat(agent.batches()).containsExactly(List.of("w0", "w1"), List.of("w2", "w3"));
    assertThat(result.results())
        .extracting(ItemResult::status)
        .containsExactly(
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SKIPPED,
            ItemStatus.SKIPPED);
    assertThat(source.read.get()).as("the rest of the source is never read").isEqualTo(6);
    assertThat(result.stopReason())
        .contains("token budget of 45 tokens")
        .contains("needs 20 tokens and 40 were already started");
    assertThat(result.progress().tokens()).isEqualTo(40);
    assertThat(result.progress().skipped()).isEqualTo(2);
    assertThat(
            registry
                .counter(
                    MeterNames.JOB_ITEMS,
                    MeterNames.TAG_JOB,
                    "job",
                    MeterNames.TAG_OUTCOME,
                    "skipped")
                .count())
        .isEqualTo(2);
    assertThat(registry.counter(MeterNames.JOB_TOKENS, MeterNames.TAG_JOB, "job").count())
        .isEqualTo(40);
  }

  @Test
  @DisplayName(
      "the in-flight bytes budget holds batches back; one batch larger than it still runs alone")
  void inFlightBytes() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    List<String> items = List.of("a", "b", "c", "BIG", "d");
    Job<String, String> job =
        scheduler.submit(
            items,
            agent,
            JobOptions.<String>builder()
                .maxItems(1)
                .concurrency(10)
                .inFlightBytes(250)
                .byteWeigher(s -> s.equals("BIG") ? 1000 : 100)
                .build());

    assertThat(agent.calls()).hasSize(2);
    agent.call(0).succeed(s -> s);
    assertThat(agent.calls()).as("c fits once a frees its bytes").hasSize(3);
    agent.call(1).succeed(s -> s);
    assertThat(agent.calls()).as("BIG waits until nothing else is in flight").hasSize(3);
    agent.call(2).succeed(s -> s);
    assertThat(agent.calls()).hasSize(4);
    assertThat(agent.call(3).batch().items()).containsExactly("BIG");
    agent.call(3).succeed(s -> s);
    agent.call(4).succeed(s -> s);
    assertThat(job.completion().join().outputs()).containsExactlyElementsOf(items);
  }

  @Test
  @DisplayName("requests per minute: no more batches start in any sliding minute")
  void requestsPerMinute() {
    ScriptedAgent<String, String> agent = echo();
    Job<String, String> job =
        scheduler.submit(
            CountingSource.words(5),
            agent,
            JobOptions.<String>builder().maxItems(1).concurrency(10).requestsPerMinute(2).build());

    assertThat(agent.calls()).hasSize(2);
    time.advance(Duration.ofSeconds(60).minusNanos(1));
    assertThat(agent.calls()).hasSize(2);
    time.advance(Duration.ofNanos(1));
    assertThat(agent.calls()).hasSize(4);
    time.advance(Duration.ofSeconds(60));
    assertThat(agent.calls()).hasSize(5);
    assertThat(job.completion().join().progress().succeeded()).isEqualTo(5);
  }

  @Test
  @DisplayName("a pacer's reported wait holds batches back until it says go, then they start")
  void pacerHoldsBatches() {
    ScriptedAgent<String, String> agent = echo();
    List<Long> asked = new CopyOnWriteArrayList<>();
    long heldUntil = time.nanoTime() + Duration.ofSeconds(5).toNanos();
    CallPacer pacer =
        tokens -> {
          asked.add(tokens);
          // the service allowed one call, then reported nothing left for 5 s
          return asked.size() == 1
              ? Duration.ZERO
              : Duration.ofNanos(Math.max(0, heldUntil - time.nanoTime()));
        };
    scheduler.submit(
        CountingSource.words(3),
        agent,
        JobOptions.<String>builder()
            .maxItems(1)
            .concurrency(1)
            .tokenCounter(s -> 7)
            .pacer(pacer)
            .build());
    assertThat(agent.calls()).hasSize(1);
    assertThat(asked).first().isEqualTo(7L);
    time.advance(Duration.ofSeconds(4));
    assertThat(agent.calls()).hasSize(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(agent.calls()).hasSize(3);
  }

  @Test
  @DisplayName("tokens per minute: a batch waits until enough tokens leave the window")
  void tokensPerMinute() {
    ScriptedAgent<String, String> agent = echo();
    scheduler.submit(
        CountingSource.words(4),
        agent,
        JobOptions.<String>builder()
            .maxItems(1)
            .concurrency(10)
            .tokenCounter(s -> 40)
            .tokensPerMinute(100)
            .build());

    assertThat(agent.calls()).hasSize(2);
    time.advance(Duration.ofSeconds(30));
    assertThat(agent.calls()).hasSize(2);
    time.advance(Duration.ofSeconds(30));
    assertThat(agent.calls()).hasSize(4);
  }

  @Test
  @DisplayName(
      "adaptive concurrency halves once per burst of rate limits and grows by one per success")
  void adaptiveConcurrency() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    scheduler.submit(
        CountingSource.words(100),
        agent,
        JobOptions.<String>builder()
            .maxItems(1)
            .concurrency(8)
            .adaptiveConcurrency(true)
            .retryPolicy(new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 0))
            .build());
    assertThat(agent.calls()).hasSize(8);
    assertThat(gauge(MeterNames.JOB_CONCURRENCY)).isEqualTo(8);

    CallFailedException tooMany = new CallFailedException("429", null, true, null, true);
    agent.call(0).fail(tooMany);
    agent.call(1).fail(tooMany);
    assertThat(gauge(MeterNames.JOB_CONCURRENCY)).as("halved once for the burst").isEqualTo(4);

    for (int i = 2; i < 6; i++) {
      agent.call(i).succeed(s -> s);
    }
    // 4 successes: 4 → 8; 4 batches still hold slots (2 running, 2 waiting to retry)
    assertThat(gauge(MeterNames.JOB_CONCURRENCY)).isEqualTo(8);
    assertThat(agent.calls()).hasSize(12);
    assertThat(gauge(MeterNames.JOB_IN_FLIGHT)).isEqualTo(8);
  }

  @Test
  @DisplayName("adaptive batch size moves toward the latency target, at most halving per step")
  void adaptiveBatchSize() {
    // latency is 10 ms per item: a 40 ms target means 4 items
    ScriptedAgent<String, String> agent =
        new ScriptedAgent<>(
            b -> {
              CompletableFuture<List<String>> f = new CompletableFuture<>();
              time.schedule(
                  Duration.ofMillis(10L * b.size()).toNanos(), () -> f.complete(b.items()));
              return f;
            });
    Job<String, String> job =
        scheduler.submit(
            CountingSource.words(64),
            agent,
            JobOptions.<String>builder()
                .maxItems(16)
                .concurrency(1)
                .adaptiveBatchSize(Duration.ofMillis(40))
                .build());
    while (!job.completion().isDone()) {
      time.advance(Duration.ofMillis(1));
    }

    List<Integer> sizes = agent.batches().stream().map(List::size).toList();
    assertThat(sizes).startsWith(16, 8, 4, 4).hasSize(12);
    assertThat(sizes.subList(2, 12)).containsOnly(4);
  }

  @Test
  @DisplayName(
      "adaptive batch size grows back, at most doubling per step, when batches beat the target")
  void adaptiveBatchSizeGrows() {
    ScriptedAgent<String, String> agent =
        new ScriptedAgent<>(
            b -> {
              CompletableFuture<List<String>> f = new CompletableFuture<>();
              // the first two batches are slow; then 2.5 ms per item, so 32 items take exactly the
              // 80 ms target
              long latencyMicros = b.sequence() < 2 ? 1_000_000 : 2_500L * b.size();
              time.schedule(
                  Duration.ofNanos(latencyMicros * 1000).toNanos(), () -> f.complete(b.items()));
              return f;
            });
    Job<String, String> job =
        scheduler.submit(
            CountingSource.words(200),
            agent,
            JobOptions.<String>builder()
                .maxItems(32)
                .concurrency(1)
                .adaptiveBatchSize(Duration.ofMillis(80))
                .build());
    while (!job.completion().isDone()) {
      time.advance(Duration.ofMillis(1));
    }
    List<Integer> sizes = agent.batches().stream().map(List::size).toList();
    assertThat(sizes.subList(0, 6)).containsExactly(32, 16, 8, 16, 32, 32);
    assertThat(IntStream.range(0, sizes.size()).map(sizes::get).sum()).isEqualTo(200);
    assertThat(job.completion().join().outputs()).hasSize(200);
  }
}
