package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.meters.MeterNames;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every meter the scheduler records, with values known from a manual clock. */
class SchedulerMetricsTest extends ManualScheduler {

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private Timer timer(String name, String outcome) {
    return registry
        .get(name)
        .tags(MeterNames.TAG_JOB, "metered", MeterNames.TAG_OUTCOME, outcome)
        .timer();
  }

  private double gauge(String name) {
    return registry.get(name).tag(MeterNames.TAG_JOB, "metered").gauge().value();
  }

  @Test
  @DisplayName(
      "records items by outcome, batches, retries, timeouts, tokens, latencies, gauges and job duration")
  void recordsEveryFigure() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            List.of("a", "b", "c", "d", "e", "f"),
            agent,
            JobOptions.<String>builder()
                .name("metered")
                .maxItems(2)
                .concurrency(3)
                .tokenCounter(s -> 7)
                .batchTimeout(Duration.ofSeconds(1))
                .retryPolicy(
                    new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(1), 1, 0))
                .build());

    assertThat(gauge(MeterNames.JOB_IN_FLIGHT)).isEqualTo(3);
    assertThat(gauge(MeterNames.JOB_CONCURRENCY)).isEqualTo(3);
    time.advance(Duration.ofMillis(100));
    agent.call(0).succeed(s -> s); // success after 100 ms
    time.advance(Duration.ofMillis(200));
    agent.call(1).fail(CallFailedException.permanent("no", null)); // failure after 300 ms
    time.advance(Duration.ofMillis(700)); // call 2 times out at 1000 ms
    time.advance(Duration.ofMillis(500)); // retry of call 2 starts at 1500 ms
    assertThat(agent.calls()).hasSize(4);
    time.advance(Duration.ofMillis(250));
    agent.call(3).succeed(s -> s); // success after 250 ms

    job.completion().join();
    String[] job1 = {MeterNames.TAG_JOB, "metered"};
    assertThat(counter(MeterNames.JOB_SUBMITTED, job1)).isEqualTo(1);
    assertThat(
            counter(
                MeterNames.JOB_ITEMS,
                MeterNames.TAG_JOB,
                "metered",
                MeterNames.TAG_OUTCOME,
                "succeeded"))
        .isEqualTo(4);
    assertThat(
            counter(
                MeterNames.JOB_ITEMS,
                MeterNames.TAG_JOB,
                "metered",
                MeterNames.TAG_OUTCOME,
                "failed"))
        .isEqualTo(2);
    assertThat(
            counter(
                MeterNames.JOB_ITEMS,
                MeterNames.TAG_JOB,
                "metered",
                MeterNames.TAG_OUTCOME,
                "cancelled"))
        .isZero();
    assertThat(counter(MeterNames.JOB_BATCHES, job1)).isEqualTo(4);
    assertThat(counter(MeterNames.JOB_RETRIES, job1)).isEqualTo(1);
    assertThat(counter(MeterNames.JOB_TIMEOUTS, job1)).isEqualTo(1);
    assertThat(counter(MeterNames.JOB_TOKENS, job1)).isEqualTo(42);

    Timer success = timer(MeterNames.JOB_BATCH_LATENCY, "success");
    assertThat(success.count()).isEqualTo(2);
    assertThat(success.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(350);
    assertThat(success.max(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(timer(MeterNames.JOB_BATCH_LATENCY, "failure").totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(300);
    assertThat(timer(MeterNames.JOB_BATCH_LATENCY, "timeout").totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(1000);
    Timer duration = timer(MeterNames.JOB_DURATION, "completed");
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1750);
    assertThat(gauge(MeterNames.JOB_IN_FLIGHT)).isZero();
  }

  @Test
  @DisplayName("a job stopped early is timed as stopped")
  void stoppedJobDuration() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(List.of("a"), agent, JobOptions.<String>builder().name("metered").build());
    time.advance(Duration.ofMillis(40));
    job.cancel();
    job.completion().join();
    assertThat(timer(MeterNames.JOB_DURATION, "stopped").totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(40);
    assertThat(
            counter(
                MeterNames.JOB_ITEMS,
                MeterNames.TAG_JOB,
                "metered",
                MeterNames.TAG_OUTCOME,
                "cancelled"))
        .isEqualTo(1);
  }
}
