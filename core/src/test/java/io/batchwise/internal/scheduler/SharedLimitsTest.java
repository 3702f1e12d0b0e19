package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import io.batchwise.scheduler.CallLimits;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.CallPacer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Limits shared by several jobs (a {@link CallPermits} pool and a {@link PerMinutePacer}), and the
 * job timeout, under a manual clock: every count is of calls the agent saw, every window one of
 * injected time.
 */
class SharedLimitsTest extends ManualScheduler {
  private static final long MINUTE = RateWindow.WINDOW_NANOS;

  /** Passes batches to a scripted agent, recording when (on the manual clock) each call started. */
  private final class StartRecorder implements Agent<String, String> {
    final ScriptedAgent<String, String> inner;
    final List<Long> starts = new ArrayList<>();

    StartRecorder(ScriptedAgent<String, String> inner) {
      this.inner = inner;
    }

    @Override
    public CompletionStage<List<String>> process(Batch<String> batch) {
      synchronized (this) {
        starts.add(time.nanoTime());
      }
      return inner.process(batch);
    }
  }

  private static List<String> items(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  @DisplayName(
      "four jobs with concurrency 4 sharing a pool of 4 permits run 4 batches at once in all, not 16")
  void permitsAcrossJobs() {
    CallPermits permits = new CallPermits(4);
    List<ScriptedAgent<String, String>> agents = new ArrayList<>();
    List<Job<String, String>> jobs = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      ScriptedAgent<String, String> agent = new ScriptedAgent<>();
      agents.add(agent);
      jobs.add(
          scheduler.submit(
              items("j" + j + "-", 5),
              agent,
              JobOptions.<String>builder().maxItems(1).concurrency(4).permits(permits).build()));
    }
    int maxPending = pendingCalls(agents);
    assertThat(maxPending).as("calls in flight over all jobs").isEqualTo(4);
    assertThat(permits.inUse()).isEqualTo(4);
    // finish calls one at a time, always the oldest pending; the total in flight never exceeds 4
    while (jobs.stream().anyMatch(j -> !j.completion().isDone())) {
      agents.stream().flatMap(a -> a.pending().stream()).findFirst().orElseThrow().succeed(s -> s);
      maxPending = Math.max(maxPending, pendingCalls(agents));
    }
    assertThat(maxPending).isEqualTo(4);
    assertThat(agents).allSatisfy(a -> assertThat(a.calls()).hasSize(5));
    assertThat(permits.inUse()).as("every permit given back").isZero();
    for (Job<String, String> job : jobs) {
      assertThat(job.completion().join().progress().succeeded()).isEqualTo(5);
    }
  }

  private static int pendingCalls(List<ScriptedAgent<String, String>> agents) {
    return agents.stream().mapToInt(a -> a.pending().size()).sum();
  }

  @Test
  @DisplayName(
      "a batch that released its slot gives its permit back: another job's batch starts while it is still read")
  void releasedSlotFreesThePermit() {
    CallPermits permits = new CallPermits(1);
    ScriptedAgent<String, String> first = new ScriptedAgent<>();
    ScriptedAgent<String, String> second = new ScriptedAgent<>();
    Job<String, String> a =
        scheduler.submit(
            List.of("a"),
            first,
            JobOptions.<String>builder().maxItems(1).concurrency(1).permits(permits).build());
    Job<String, String> b =
        scheduler.submit(
            List.of("b"),
            second,
            JobOptions.<String>builder().maxItems(1).concurrency(1).permits(permits).build());
    assertThat(second.calls()).as("the only permit is taken").isEmpty();
    first.call(0).batch().releaseSlot();
    assertThat(second.calls()).as("the answered call no longer holds the permit").hasSize(1);
    first.call(0).succeed(s -> s);
    second.call(0).succeed(s -> s);
    assertThat(a.completion().join().outputs()).containsExactly("a");
    assertThat(b.completion().join().outputs()).containsExactly("b");
    assertThat(permits.inUse()).isZero();
  }

  @Test
  @DisplayName(
      "a cancelled job gives back its permits, including the one its next batch held while waiting to start")
  void cancelReturnsPermits() {
    CallPermits permits = new CallPermits(2);
    PerMinutePacer pacer = new PerMinutePacer(2, 0, CallPacer.NONE, time::nanoTime);
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            items("x", 5),
            agent,
            JobOptions.<String>builder()
                .maxItems(1)
                .concurrency(4)
                .permits(permits)
                .pacer(pacer)
                .build());
    assertThat(agent.calls()).hasSize(2);
    assertThat(permits.inUse()).isEqualTo(2);
    agent.call(0).succeed(s -> s);
    assertThat(permits.inUse())
        .as("the third batch holds a permit while its reserved start is a minute away")
        .isEqualTo(2);
    job.cancel();
    assertThat(permits.inUse()).isZero();
    assertThat(job.completion().join().progress().cancelled())
        .as("the running batch and the waiting one")
        .isEqualTo(2);
  }

  @Test
  @DisplayName(
      "requests per minute shared by three jobs: no minute of injected time sees more starts than the limit")
  void requestsPerMinuteAcrossJobs() {
    PerMinutePacer pacer = new PerMinutePacer(4, 0, CallPacer.NONE, time::nanoTime);
    CallLimits limits = new CallLimits(new CallPermits(16), pacer);
    List<StartRecorder> agents = new ArrayList<>();
    List<Job<String, String>> jobs = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      StartRecorder agent =
          new StartRecorder(new ScriptedAgent<>(b -> CompletableFuture.completedFuture(b.items())));
      agents.add(agent);
      jobs.add(
          scheduler.submit(
              items("j" + j + "-", 4),
              agent,
              limits.applyTo(JobOptions.<String>builder().maxItems(1).concurrency(4)).build()));
    }
    assertThat(startsIn(agents, 0, MINUTE)).as("the first minute").hasSize(4);
    time.advance(Duration.ofMinutes(3));
    assertThat(jobs)
        .allSatisfy(j -> assertThat(j.completion().join().progress().succeeded()).isEqualTo(4));
    List<Long> all = startsIn(agents, 0, Long.MAX_VALUE);
    assertThat(all).hasSize(12);
    for (long from : all) {
      assertThat(startsIn(agents, from, from + MINUTE))
          .as("starts in the minute from %d", from)
          .hasSizeLessThanOrEqualTo(4);
    }
    assertThat(startsIn(agents, MINUTE, 2 * MINUTE)).as("the second minute").hasSize(4);
  }

  @Test
  @DisplayName(
      "tokens per minute shared by two jobs: no minute of injected time sees more tokens started than the limit")
  void tokensPerMinuteAcrossJobs() {
    PerMinutePacer pacer = new PerMinutePacer(0, 100, CallPacer.NONE, time::nanoTime);
    List<StartRecorder> agents = new ArrayList<>();
    List<Job<String, String>> jobs = new ArrayList<>();
    for (int j = 0; j < 2; j++) {
      StartRecorder agent =
          new StartRecorder(new ScriptedAgent<>(b -> CompletableFuture.completedFuture(b.items())));
      agents.add(agent);
      jobs.add(
          scheduler.submit(
              items("j" + j + "-", 5),
              agent,
              JobOptions.<String>builder()
                  .maxItems(1)
                  .concurrency(4)
                  .tokenCounter(s -> 30)
                  .pacer(pacer)
                  .build()));
    }
    assertThat(startsIn(agents, 0, MINUTE)).as("three calls of 30 tokens fit in 100").hasSize(3);
    time.advance(Duration.ofMinutes(4));
    assertThat(jobs)
        .allSatisfy(j -> assertThat(j.completion().join().progress().succeeded()).isEqualTo(5));
    List<Long> all = startsIn(agents, 0, Long.MAX_VALUE);
    assertThat(all).hasSize(10);
    for (long from : all) {
      assertThat(startsIn(agents, from, from + MINUTE).size() * 30L)
          .as("tokens started in the minute from %d", from)
          .isLessThanOrEqualTo(100);
    }
  }

  /**
   * Start times (relative to the first job's submission) in [from, to), over every agent, sorted.
   */
  private List<Long> startsIn(List<StartRecorder> agents, long from, long to) {
    List<Long> out = new ArrayList<>();
    for (StartRecorder a : agents) {
      synchronized (a) {
        for (long s : a.starts) {
          long rel = s - START;
          if (rel >= from && rel < to) {
            out.add(rel);
          }
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** The manual clock's reading when each test starts (ManualTimeSource begins there). */
  private static final long START = 1_000_000_000L;

  @Test
  @DisplayName("a retry is a call of its own: it reserves its start with the shared pacer")
  void retriesArePaced() {
    PerMinutePacer pacer = new PerMinutePacer(2, 0, CallPacer.NONE, time::nanoTime);
    ScriptedAgent<String, String> inner = new ScriptedAgent<>();
    StartRecorder agent = new StartRecorder(inner);
    Job<String, String> job =
        scheduler.submit(
            List.of("a"),
            agent,
            JobOptions.<String>builder()
                .maxItems(1)
                .retryPolicy(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(10), 1, 0))
                .pacer(pacer)
                .build());
    inner.call(0).fail(CallFailedException.retryable("busy", null, null));
    time.advance(Duration.ofMillis(10));
    assertThat(inner.calls()).as("the second request of the minute").hasSize(2);
    inner.call(1).fail(CallFailedException.retryable("busy", null, null));
    time.advance(Duration.ofMillis(10));
    assertThat(inner.calls()).as("a third request must wait for the minute to pass").hasSize(2);
    time.advance(Duration.ofMinutes(1));
    assertThat(inner.calls()).hasSize(3);
    inner.call(2).succeed(s -> s);
    assertThat(job.completion().join().outputs()).containsExactly("a");
    assertThat(agent.starts.get(2) - agent.starts.get(0)).isGreaterThanOrEqualTo(MINUTE);
  }

  @Test
  @DisplayName(
      "a retry waiting for the permit that the next batch holds while it waits for its start does not stall the job")
  void retryWaitingForAPermitHeldByAReservedBatch() {
    CallPermits permits = new CallPermits(1);
    PerMinutePacer pacer = new PerMinutePacer(1, 0, CallPacer.NONE, time::nanoTime);
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            List.of("a", "b"),
            agent,
            JobOptions.<String>builder()
                .maxItems(1)
                .concurrency(1)
                .permits(permits)
                .pacer(pacer)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 1, 0))
                .build());
    agent
        .call(0)
        .batch()
        .releaseSlot(); // answered: "b" takes the permit and waits for its start a minute on
    agent.call(0).fail(CallFailedException.retryable("the answer broke off", null, null));
    time.advance(Duration.ofMillis(10)); // "a"'s retry is due and waits for a permit
    assertThat(agent.calls()).hasSize(1);
    time.advance(Duration.ofMinutes(1));
    assertThat(agent.calls()).as("b starts at its reserved time").hasSize(2);
    agent.call(1).succeed(s -> s);
    time.advance(Duration.ofMinutes(1));
    assertThat(agent.calls()).as("then a's retry, paced too").hasSize(3);
    agent.call(2).succeed(s -> s);
    assertThat(job.completion().join().outputs()).containsExactly("a", "b");
    assertThat(permits.inUse()).isZero();
  }

  @Test
  @DisplayName(
      "job timeout: when it passes, running and waiting items fail saying so, the agent's work is cancelled and the job completes")
  void jobTimeout() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            items("x", 6),
            agent,
            JobOptions.<String>builder()
                .maxItems(1)
                .concurrency(2)
                .jobTimeout(Duration.ofSeconds(2))
                .build());
    agent.call(0).succeed(s -> s);
    assertThat(agent.calls()).hasSize(3);
    time.advance(Duration.ofMillis(1999));
    assertThat(job.completion()).isNotDone();
    time.advance(Duration.ofMillis(1));

    JobResult<String, String> result = job.completion().join();
    assertThat(result.stopReason()).isEqualTo("job timeout of 2s passed");
    assertThat(result.results())
        .extracting(ItemResult::status)
        .as("the rest of the source is not read")
        .containsExactly(ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.FAILED);
    assertThat(result.results().get(1).error())
        .isInstanceOf(TimeoutException.class)
        .hasMessage("job timeout of 2s passed before it finished");
    assertThat(agent.call(1).future()).as("the agent is told to stop").isCancelled();
    assertThat(agent.call(2).future()).isCancelled();
    assertThat(agent.calls()).as("nothing more is started").hasSize(3);
    assertThat(result.progress().failed()).isEqualTo(2);
    assertThat(time.pending()).as("no timer is left behind").isZero();
  }

  @Test
  @DisplayName("a job that ends before its timeout leaves no timer behind")
  void jobTimeoutCancelledOnCompletion() {
    ScriptedAgent<String, String> agent =
        new ScriptedAgent<>(b -> CompletableFuture.completedFuture(b.items()));
    Job<String, String> job =
        scheduler.submit(
            items("x", 3),
            agent,
            JobOptions.<String>builder().jobTimeout(Duration.ofMinutes(5)).build());
    assertThat(job.completion().join().progress().succeeded()).isEqualTo(3);
    assertThat(time.pending()).isZero();
  }

  @Test
  @DisplayName("a job timeout must be positive")
  void jobTimeoutMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JobOptions.<String>builder().jobTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jobTimeout was PT0S; it must be positive");
  }
}
