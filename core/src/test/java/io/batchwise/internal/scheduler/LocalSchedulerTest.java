package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.CloseMode;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The local scheduler under a manual clock, with agents and bookkeeping on the test's thread. */
class LocalSchedulerTest {
  private final ManualTimeSource time = new ManualTimeSource();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ExecutorService delivery = Executors.newSingleThreadExecutor();
  private final LocalScheduler scheduler = new LocalScheduler(registry,
      SchedulerResources.borrowed(Runnable::run, Runnable::run, delivery, time), CloseMode.CANCEL,
      Duration.ofSeconds(1), () -> 0.5);

  @AfterEach
  void close() {
    scheduler.close();
    delivery.shutdownNow();
  }

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  @Test
  void returnsEveryResultInInputOrder() {
    ScriptedAgent<String, Integer> agent = new ScriptedAgent<>(
        b -> CompletableFuture.completedFuture(b.items().stream().map(String::length).toList()));
    Job<String, Integer> job = scheduler.submit(words(103), agent, JobOptions.<String>builder().build());

    JobResult<String, Integer> result = job.completion().join();

    assertThat(result.results()).extracting(ItemResult::index)
        .containsExactlyElementsOf(IntStream.range(0, 103).mapToObj(i -> (long) i).toList());
    assertThat(result.outputs()).containsExactlyElementsOf(words(103).stream().map(String::length).toList());
    assertThat(agent.batches()).hasSize(26).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(4));
    assertThat(result.stoppedEarly()).isEmpty();
  }

  @Test
  void timesOutABatchAtExactlyItsTimeout() {
    ScriptedAgent<String, Integer> agent = new ScriptedAgent<>();
    Job<String, Integer> job = scheduler.submit(words(2), agent, JobOptions.<String>builder()
        .batchTimeout(Duration.ofSeconds(5)).retryPolicy(RetryPolicy.NONE).build());

    time.advance(Duration.ofMillis(4999));
    assertThat(job.completion()).isNotDone();
    time.advance(Duration.ofMillis(1));

    ItemResult<String, Integer> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
    assertThat(r.error()).isInstanceOf(TimeoutException.class).hasMessageContaining("PT5S");
    assertThat(registry.counter(MeterNames.JOB_TIMEOUTS, MeterNames.TAG_JOB, "job").count()).isEqualTo(1);
  }

  @Test
  void retriesAfterTheServersHintWhenLongerThanTheBackoff() {
    ScriptedAgent<String, Integer> agent = new ScriptedAgent<>();
    Job<String, Integer> job = scheduler.submit(words(1), agent, JobOptions.<String>builder()
        .retryPolicy(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), 2, 0)).build());
    agent.call(0).fail(CallFailedException.retryable("503", null, Duration.ofSeconds(2)));

    time.advance(Duration.ofMillis(1999));
    assertThat(agent.calls()).hasSize(1);
    time.advance(Duration.ofMillis(1));
    assertThat(agent.calls()).hasSize(2);
    assertThat(agent.call(1).batch().attempt()).isEqualTo(2);
    agent.call(1).succeed(String::length);

    ItemResult<String, Integer> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.SUCCEEDED);
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  void aFailingBatchFailsOnlyItsItems() {
    ScriptedAgent<String, Integer> agent = new ScriptedAgent<>(b -> b.items().contains("w5")
        ? CompletableFuture.failedFuture(CallFailedException.permanent("bad request", null))
        : CompletableFuture.completedFuture(b.items().stream().map(String::length).toList()));
    JobResult<String, Integer> result = scheduler.submit(words(12), agent, JobOptions.<String>builder().build())
        .completion().join();

    assertThat(result.results()).extracting(ItemResult::status).containsExactly(
        ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED,
        ItemStatus.FAILED, ItemStatus.FAILED, ItemStatus.FAILED, ItemStatus.FAILED,
        ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED, ItemStatus.SUCCEEDED);
    assertThat(result.results().get(5).error()).hasMessage("bad request");
  }
}
