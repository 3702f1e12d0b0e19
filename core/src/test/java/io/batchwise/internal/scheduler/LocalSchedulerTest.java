package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.Progress;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Ordering, progress, isolation, cancellation and source errors, under a manual clock. */
class LocalSchedulerTest extends ManualScheduler {

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  @Test
  @DisplayName("results keep input order while the stream delivers them in completion order")
  void inputOrderAndCompletionOrder() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            words(10), agent, JobOptions.<String>builder().maxItems(2).concurrency(5).build());
    List<Long> streamed = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> streamDone = new CompletableFuture<>();
    job.results().subscribe(collector(streamed, streamDone));
    await(() -> agent.calls().size() == 5);

    for (int call : new int[] {4, 2, 0, 3, 1}) {
      agent.call(call).succeed(s -> s.toUpperCase());
    }
    JobResult<String, String> result = job.completion().join();
    streamDone.join();

    assertThat(result.results())
        .extracting(ItemResult::index)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(result.outputs())
        .containsExactlyElementsOf(words(10).stream().map(String::toUpperCase).toList());
    assertThat(streamed).containsExactly(8L, 9L, 4L, 5L, 0L, 1L, 6L, 7L, 2L, 3L);
  }

  private static Flow.Subscriber<ItemResult<String, String>> collector(
      List<Long> into, CompletableFuture<Void> done) {
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ItemResult<String, String> item) {
        into.add(item.index());
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    };
  }

  @Test
  @DisplayName("progress counts queued, in-flight, done, tokens, rate and ETA exactly")
  void progressIsAccurate() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    CountingSource<String> source = CountingSource.words(10);
    Job<String, String> job =
        scheduler.submit(
            source,
            agent,
            JobOptions.<String>builder()
                .maxItems(2)
                .concurrency(2)
                .tokenCounter(s -> 3)
                .sizeHint(10)
                .build());

    Progress start = job.progress();
    assertThat(start.queued()).isZero();
    assertThat(start.inFlight()).isEqualTo(4);
    assertThat(start.done()).isZero();
    assertThat(start.tokens()).isEqualTo(12);
    assertThat(start.sourceExhausted()).isFalse();
    assertThat(start.eta()).isEmpty();
    assertThat(source.read.get()).isEqualTo(4);

    time.advance(Duration.ofSeconds(10));
    agent.call(0).succeed(s -> s);
    Progress afterOne = job.progress();
    assertThat(afterOne.succeeded()).isEqualTo(2);
    assertThat(afterOne.inFlight()).isEqualTo(4);
    assertThat(afterOne.elapsed()).isEqualTo(Duration.ofSeconds(10));
    assertThat(afterOne.itemsPerSecond()).isEqualTo(0.2);
    assertThat(afterOne.eta()).contains(Duration.ofSeconds(40));

    agent.call(1).fail(CallFailedException.permanent("no", null));
    Progress afterTwo = job.progress();
    assertThat(afterTwo.failed()).isEqualTo(2);
    assertThat(afterTwo.inFlight()).isEqualTo(4);
    assertThat(afterTwo.tokens()).isEqualTo(24);

    agent.call(2).succeed(s -> s);
    agent.call(3).succeed(s -> s);
    assertThat(job.progress().sourceExhausted()).isTrue();
    agent.call(4).succeed(s -> s);
    Progress end = job.completion().join().progress();
    assertThat(end.succeeded()).isEqualTo(8);
    assertThat(end.failed()).isEqualTo(2);
    assertThat(end.done()).isEqualTo(10);
    assertThat(end.queued()).isZero();
    assertThat(end.inFlight()).isZero();
    assertThat(end.tokens()).isEqualTo(30);
    time.advance(Duration.ofSeconds(5));
    assertThat(job.progress().elapsed())
        .as("frozen at completion")
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("a failing batch fails only its own items")
  void isolation() {
    ScriptedAgent<String, Integer> agent =
        new ScriptedAgent<>(
            b ->
                b.items().contains("w5")
                    ? CompletableFuture.failedFuture(
                        CallFailedException.permanent("bad request", null))
                    : CompletableFuture.completedFuture(
                        b.items().stream().map(String::length).toList()));
    JobResult<String, Integer> result =
        scheduler
            .submit(words(12), agent, JobOptions.<String>builder().build())
            .completion()
            .join();

    assertThat(result.results())
        .extracting(ItemResult::status)
        .containsExactly(
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED);
    assertThat(result.results().get(5).error()).hasMessage("bad request");
    assertThat(result.stoppedEarly()).isEmpty();
  }

  @Test
  @DisplayName("cancel() stops the agents' work, cancels unfinished items and reads no further")
  void cancellation() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    CountingSource<String> source = CountingSource.words(1000);
    Job<String, String> job =
        scheduler.submit(
            source, agent, JobOptions.<String>builder().maxItems(2).concurrency(3).build());
    agent.call(1).succeed(s -> s);

    assertThat(job.cancel()).isTrue();
    JobResult<String, String> result = job.completion().join();

    assertThat(job.cancel()).isFalse();
    assertThat(source.read.get()).isEqualTo(8);
    assertThat(result.results()).hasSize(8);
    assertThat(result.results())
        .extracting(ItemResult::status)
        .containsExactly(
            ItemStatus.CANCELLED,
            ItemStatus.CANCELLED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED,
            ItemStatus.CANCELLED,
            ItemStatus.CANCELLED,
            ItemStatus.CANCELLED,
            ItemStatus.CANCELLED);
    assertThat(result.results().get(0).error()).isInstanceOf(CancellationException.class);
    assertThat(result.results().get(0).attempts()).isEqualTo(1);
    assertThat(result.stopReason()).isEqualTo("cancelled by the caller");
    assertThat(agent.call(0).future()).isCancelled();
    assertThat(agent.call(2).future()).isCancelled();
    assertThat(time.pending()).as("no timeout left scheduled").isZero();
    assertThat(result.progress().cancelled()).isEqualTo(6);
    assertThat(result.progress().succeeded()).isEqualTo(2);
  }

  @Test
  @DisplayName("cancelling the completion future cancels the job")
  void cancellingTheCompletionCancelsTheJob() {
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(words(4), agent, JobOptions.<String>builder().maxItems(1).build());

    job.completion().cancel(true);

    assertThat(agent.calls()).allSatisfy(c -> assertThat(c.future()).isCancelled());
    assertThat(job.progress().cancelled()).isEqualTo(4);
    assertThat(job.cancel()).isFalse();
  }

  @Test
  @DisplayName("a source that throws stops the job after the items it gave, and says so")
  void sourceFailure() {
    Iterator<String> failing =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return true;
          }

          @Override
          public String next() {
            if (i == 5) {
              throw new IllegalStateException("disk gone");
            }
            return "w" + i++;
          }
        };
    JobResult<String, String> result =
        scheduler
            .submit(
                failing,
                new ScriptedAgent<String, String>(
                    b -> CompletableFuture.completedFuture(b.items())),
                JobOptions.<String>builder().maxItems(2).build())
            .completion()
            .join();

    assertThat(result.outputs()).containsExactly("w0", "w1", "w2", "w3", "w4");
    assertThat(result.stopReason())
        .contains("the source threw after 5 items")
        .contains("disk gone");
  }

  @Test
  @DisplayName("SPLIT runs the pieces of an oversize item as items sharing its index, in order")
  void splitOversize() {
    JobResult<String, String> result =
        scheduler
            .submit(
                List.of("a", "0123456789abcdefghij", "b"),
                new ScriptedAgent<String, String>(
                    b ->
                        CompletableFuture.completedFuture(
                            b.items().stream().map(String::toUpperCase).toList())),
                JobOptions.<String>builder()
                    .maxItems(2)
                    .maxTokens(8)
                    .contextWindow(10)
                    .tokenCounter(String::length)
                    .splitOversize(s -> List.of(s.substring(0, 10), s.substring(10)))
                    .build())
            .completion()
            .join();

    assertThat(result.results()).extracting(ItemResult::index).containsExactly(0L, 1L, 1L, 2L);
    assertThat(result.outputs()).containsExactly("A", "0123456789", "ABCDEFGHIJ", "B");
    assertThat(result.progress().succeeded()).isEqualTo(4);
  }

  @Test
  @DisplayName("an empty source completes at once with no results")
  void emptySource() {
    JobResult<String, String> result =
        scheduler
            .submit(
                List.<String>of(),
                new ScriptedAgent<String, String>(),
                JobOptions.<String>defaults())
            .completion()
            .join();
    assertThat(result.results()).isEmpty();
    assertThat(result.progress().sourceExhausted()).isTrue();
  }

  @Test
  @DisplayName(
      "retainResults(false) keeps no results in the completion but still streams and counts them")
  void withoutRetainedResults() {
    List<Long> streamed = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done = new CompletableFuture<>();
    ScriptedAgent<String, String> agent = new ScriptedAgent<>();
    Job<String, String> job =
        scheduler.submit(
            words(6), agent, JobOptions.<String>builder().retainResults(false).build());
    job.results().subscribe(collector(streamed, done));
    await(() -> agent.calls().size() == 2);
    agent.call(0).succeed(s -> s);
    agent.call(1).succeed(s -> s);

    JobResult<String, String> result = job.completion().join();
    done.join();
    assertThat(result.results()).isEmpty();
    assertThat(result.progress().succeeded()).isEqualTo(6);
    assertThat(streamed).hasSize(6);
  }

  @Test
  @DisplayName("a subscriber that joins after the end gets onComplete at once")
  void lateSubscriber() {
    Job<String, String> job =
        scheduler.submit(
            words(3),
            new ScriptedAgent<String, String>(b -> CompletableFuture.completedFuture(b.items())),
            JobOptions.<String>defaults());
    job.completion().join();
    List<Long> streamed = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> done = new CompletableFuture<>();
    job.results().subscribe(collector(streamed, done));
    done.join();
    assertThat(streamed).isEmpty();
  }

  @Test
  @DisplayName("submit rejects nulls and refuses work after close")
  void submitChecks() {
    assertThatThrownBy(
            () ->
                scheduler.submit(
                    (Iterator<String>) null,
                    new ScriptedAgent<String, String>(),
                    JobOptions.<String>defaults()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("items");
    scheduler.close();
    assertThatThrownBy(
            () ->
                scheduler.submit(
                    words(1), new ScriptedAgent<String, String>(), JobOptions.<String>defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }
}
