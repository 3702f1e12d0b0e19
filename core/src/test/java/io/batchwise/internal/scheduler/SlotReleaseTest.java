package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code Batch.releaseSlot()}: a batch whose remote work is done lets the next one start. */
class SlotReleaseTest extends ManualScheduler {
  /** 3 attempts, 100 ms doubling: with RANDOM = 0.5 the first wait is 90 ms. */
  private static final RetryPolicy POLICY =
      new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(10), 2, 0.2);

  private Job<String, String> oneAtATime(ScriptedAgent<String, String> agent, List<String> items) {
    return scheduler.submit(
        items,
        agent,
        JobOptions.<String>builder().maxItems(1).concurrency(1).retryPolicy(POLICY).build());
  }

  @Test
  @DisplayName(
      "a batch that releases its slot lets the next one start; outcomes stay each batch's own, in order")
  void releaseStartsTheNextBatch() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneAtATime(agent, List.of("a", "b", "c"));
    assertThat(agent.calls()).hasSize(1);

    agent.call(0).batch().releaseSlot();
    agent.call(0).batch().releaseSlot(); // only the first call counts
    assertThat(agent.calls()).as("b starts in a's slot").hasSize(2);

    agent.call(1).succeed(s -> s + "!");
    assertThat(agent.calls()).as("c starts in the slot b held").hasSize(3);
    agent.call(2).succeed(s -> s + "!");
    assertThat(job.completion()).as("a released batch still decides the job's end").isNotDone();
    agent.call(0).succeed(s -> s + "!");

    List<ItemResult<String, String>> results = job.completion().join().results();
    assertThat(results).extracting(ItemResult::output).containsExactly("a!", "b!", "c!");
  }

  @Test
  @DisplayName(
      "at most the concurrency limit's worth of batches hold a released slot; a later release waits its turn")
  void releasesAreBoundedByTheLimit() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneAtATime(agent, List.of("a", "b", "c", "d"));
    agent.call(0).batch().releaseSlot();
    assertThat(agent.calls()).hasSize(2);

    agent.call(1).batch().releaseSlot(); // a already holds the one released slot: b's release waits
    assertThat(agent.calls()).as("at most twice the limit run at once").hasSize(2);

    agent.call(0).succeed(s -> s);
    assertThat(agent.calls())
        .as("a finished: b's waiting release takes effect and c starts")
        .hasSize(3);
    agent.call(2).batch().releaseSlot(); // b holds the released slot now: c's release waits
    assertThat(agent.calls()).hasSize(3);

    agent.call(2).succeed(s -> s); // c finishes while its release waits: the request leaves with it
    assertThat(agent.calls()).as("d starts in the slot c held").hasSize(4);
    agent.call(1).succeed(s -> s);
    agent.call(3).succeed(s -> s);
    assertThat(job.completion().join().results())
        .extracting(ItemResult::output)
        .containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName(
      "a released batch that finishes frees nothing more: the batch holding the slot still blocks the next")
  void finishingAReleasedBatchDoesNotFreeASecondSlot() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneAtATime(agent, List.of("a", "b", "c"));
    agent.call(0).batch().releaseSlot();
    assertThat(agent.calls()).hasSize(2);

    agent.call(0).succeed(s -> s);
    assertThat(agent.calls()).as("b holds the only slot").hasSize(2);
    agent.call(1).succeed(s -> s);
    assertThat(agent.calls()).hasSize(3);
    agent.call(2).succeed(s -> s);
    assertThat(job.completion().join().results())
        .extracting(ItemResult::status)
        .containsOnly(ItemStatus.SUCCEEDED);
  }

  @Test
  @DisplayName("a released batch that fails retryably waits for a free slot before its retry")
  void retryOfAReleasedBatchWaitsForASlot() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneAtATime(agent, List.of("a", "b", "c"));
    agent.call(0).batch().releaseSlot();
    assertThat(agent.calls()).hasSize(2); // b runs in the slot a gave back

    agent.call(0).fail(CallFailedException.retryable("truncated answer", null, null));
    time.advance(Duration.ofMillis(90)); // a's backoff is over, but b holds the slot
    assertThat(agent.calls()).hasSize(2);

    agent.call(1).succeed(s -> s);
    assertThat(agent.calls()).as("a's retry takes the freed slot before c").hasSize(3);
    assertThat(agent.call(2).batch().items()).containsExactly("a");
    assertThat(agent.call(2).batch().attempt()).isEqualTo(2);

    agent.call(2).succeed(s -> s + "2");
    assertThat(agent.calls()).hasSize(4);
    agent.call(3).succeed(s -> s);
    List<ItemResult<String, String>> results = job.completion().join().results();
    assertThat(results).extracting(ItemResult::output).containsExactly("a2", "b", "c");
    assertThat(results.get(0).attempts()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a release after the batch ended, or by a batch made outside a scheduler, does nothing")
  void lateOrDetachedReleaseIsIgnored() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job = oneAtATime(agent, List.of("a", "b"));
    agent.call(0).succeed(s -> s);
    assertThat(agent.calls()).hasSize(2);
    agent.call(0).batch().releaseSlot(); // a is over: b keeps its slot, nothing else starts
    assertThat(agent.calls()).hasSize(2);
    agent.call(1).succeed(s -> s);
    assertThat(job.completion().join().results()).hasSize(2);

    new io.batchwise.scheduler.Batch<>(0, List.of("x"), new long[] {0}, 0, 1).releaseSlot();
  }
}
