package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Timeouts and retries to the nanosecond, under a manual clock. */
class RetryAndTimeoutTest extends ManualScheduler {
  /**
   * 4 attempts, 100 ms doubling, at most 10 s, 20% jitter: with RANDOM = 0.5 each wait is 90% of
   * the base.
   */
  private static final RetryPolicy POLICY =
      new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(10), 2, 0.2);

  private Job<String, String> oneItem(
      ScriptedAgent<String, String> agent, RetryPolicy policy, Duration timeout) {
    return scheduler.submit(
        List.of("a"),
        agent,
        JobOptions.<String>builder().retryPolicy(policy).batchTimeout(timeout).build());
  }

  private void advanceMillis(long ms) {
    time.advance(Duration.ofMillis(ms));
  }

  @Test
  @DisplayName("a batch times out exactly at its timeout, not a nanosecond before")
  void timeoutBoundary() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, RetryPolicy.NONE, Duration.ofSeconds(5));

    time.advance(Duration.ofSeconds(5).minusNanos(1));
    assertThat(job.completion()).isNotDone();
    time.advance(Duration.ofNanos(1));

    ItemResult<String, String> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
    assertThat(r.error())
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("batch #0 (items 0) attempt 1 timed out after PT5S");
    assertThat(agent.call(0).future()).as("the agent is told to stop").isCancelled();
    assertThat(registry.counter(MeterNames.JOB_TIMEOUTS, MeterNames.TAG_JOB, "job").count())
        .isEqualTo(1);
  }

  @Test
  @DisplayName("a timed-out batch is retried; the late answer of the first attempt is ignored")
  void timeoutIsRetryable() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, POLICY, Duration.ofSeconds(1));

    advanceMillis(1000); // attempt 1 times out
    advanceMillis(90); // first backoff: 100 ms × 0.9
    assertThat(agent.calls()).hasSize(2);
    agent.call(0).future().complete(List.of("late"));
    agent.call(1).succeed(s -> "fresh");

    ItemResult<String, String> r = job.completion().join().results().get(0);
    assertThat(r.output()).isEqualTo("fresh");
    assertThat(r.attempts()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "retries back off exponentially with jitter, then fail with the earlier failures suppressed")
  void exponentialBackoff() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, POLICY, Duration.ofSeconds(30));
    long[] waits = {90, 180, 360};

    for (int retry = 0; retry < 3; retry++) {
      agent.call(retry).fail(CallFailedException.retryable("503 #" + (retry + 1), null, null));
      advanceMillis(waits[retry] - 1);
      assertThat(agent.calls()).as("before retry %d", retry + 1).hasSize(retry + 1);
      advanceMillis(1);
      assertThat(agent.calls()).as("at retry %d", retry + 1).hasSize(retry + 2);
      assertThat(agent.call(retry + 1).batch().attempt()).isEqualTo(retry + 2);
    }
    agent.call(3).fail(CallFailedException.retryable("503 #4", null, null));

    ItemResult<String, String> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
    assertThat(r.attempts()).isEqualTo(4);
    assertThat(r.error()).hasMessage("503 #4");
    assertThat(r.error().getSuppressed())
        .extracting(Throwable::getMessage)
        .containsExactly("503 #1", "503 #2", "503 #3");
    assertThat(job.progress().retries()).isEqualTo(3);
    assertThat(registry.counter(MeterNames.JOB_RETRIES, MeterNames.TAG_JOB, "job").count())
        .isEqualTo(3);
    assertThat(registry.counter(MeterNames.JOB_BATCHES, MeterNames.TAG_JOB, "job").count())
        .isEqualTo(4);
  }

  @Test
  @DisplayName(
      "a server's retry hint of up to 60 s is honoured, past maxBackoff too; a longer one gets the computed backoff")
  void retryAfterHint() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, POLICY, Duration.ofMinutes(5));

    agent.call(0).fail(CallFailedException.retryable("429", null, Duration.ofSeconds(3)));
    advanceMillis(2999);
    assertThat(agent.calls()).hasSize(1);
    advanceMillis(1);
    assertThat(agent.calls()).hasSize(2);

    agent.call(1).fail(CallFailedException.retryable("429", null, Duration.ofSeconds(45)));
    time.advance(Duration.ofSeconds(45).minusMillis(1));
    assertThat(agent.calls())
        .as("45 s is within the clamp: honoured beyond maxBackoff = 10 s")
        .hasSize(2);
    advanceMillis(1);
    assertThat(agent.calls()).hasSize(3);

    agent.call(2).fail(CallFailedException.retryable("429", null, Duration.ofMinutes(2)));
    advanceMillis(359);
    assertThat(agent.calls()).hasSize(3);
    advanceMillis(1);
    assertThat(agent.calls())
        .as("2 min is past the clamp: the third backoff, 400 ms x 0.9")
        .hasSize(4);
    agent.call(3).succeed(s -> s);
    assertThat(job.completion().join().results().get(0).attempts()).isEqualTo(4);
  }

  @Test
  @DisplayName(
      "a hint centuries away (Retry-After in the year 2500) neither throws nor cancels the job")
  void absurdHintKeepsTheJob() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, POLICY, Duration.ofMinutes(5));
    Duration toYear2500 =
        Duration.between(
            java.time.Instant.parse("2026-01-01T00:00:00Z"),
            java.time.Instant.parse("2500-01-01T00:00:00Z"));

    agent.call(0).fail(CallFailedException.retryable("429", null, toYear2500));
    advanceMillis(89);
    assertThat(agent.calls()).hasSize(1);
    advanceMillis(1);
    assertThat(agent.calls()).as("retried after the computed 100 ms x 0.9").hasSize(2);
    agent.call(1).succeed(s -> "ok");

    ItemResult<String, String> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.SUCCEEDED);
    assertThat(job.completion().join().stopReason()).isNull();
  }

  @Test
  @DisplayName("permanent failures and unclassified exceptions are never retried")
  void nonRetryable() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            List.of("a", "b"),
            agent,
            JobOptions.<String>builder().maxItems(1).retryPolicy(POLICY).build());

    agent.call(0).fail(CallFailedException.permanent("401", null));
    agent.call(1).fail(new IllegalArgumentException("bug in agent"));
    time.advance(Duration.ofMinutes(1));

    assertThat(agent.calls()).hasSize(2);
    assertThat(job.completion().join().results())
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
              assertThat(r.attempts()).isEqualTo(1);
            });
  }

  @Test
  @DisplayName("cancelling while a batch waits to be retried cancels the retry")
  void cancelDuringRetryWait() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneItem(agent, POLICY, Duration.ofSeconds(30));
    agent.call(0).fail(CallFailedException.retryable("503", null, null));
    assertThat(time.pending()).isEqualTo(1);

    job.cancel();

    ItemResult<String, String> r = job.completion().join().results().get(0);
    assertThat(r.status()).isEqualTo(ItemStatus.CANCELLED);
    assertThat(time.pending()).as("the retry timer is cancelled").isZero();
    advanceMillis(1000);
    assertThat(agent.calls()).hasSize(1);
  }
}
