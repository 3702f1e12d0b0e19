package io.batchwise.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import io.batchwise.scheduler.CallPermits;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.CallFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link io.batchwise.scheduler.Scheduler} must honour, in real time: per-item
 * results in input order whatever order batches finish in, packing limits, bounded concurrency (a
 * job's own and a pool of permits shared by jobs), error isolation, retries of retryable failures
 * only, timeouts (a batch's and the job's), results as they complete, cancel and close. Extend it
 * and implement {@link #createScheduler()}:
 *
 * <pre>{@code
 * class MySchedulerTest extends SchedulerContract {
 *   protected Scheduler createScheduler() { return new MySchedulerFactory().create(context); }
 * }
 * }</pre>
 *
 * <p>Waits are short (tens of milliseconds) and no assertion depends on how long anything took.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SchedulerContract {
  /** The scheduler under test, created before each test and closed after it. */
  protected Scheduler scheduler;

  /** Completes the contract's asynchronous fake agents later. */
  private ScheduledExecutorService agentTimer;

  /**
   * Creates a fresh scheduler for one test.
   *
   * @return the scheduler
   * @throws Exception when it cannot be created
   */
  protected abstract Scheduler createScheduler() throws Exception;

  /** Opens the scheduler. */
  @BeforeEach
  void openScheduler() throws Exception {
    scheduler = createScheduler();
    agentTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "scheduler-contract-agent-timer");
              t.setDaemon(true);
              return t;
            });
  }

  /** Closes the scheduler. */
  @AfterEach
  void closeScheduler() {
    if (scheduler != null) {
      scheduler.close();
    }
    agentTimer.shutdownNow();
  }

  /**
   * Options with short timeouts and fast retries for contract tests.
   *
   * @param <I> the item type
   * @return a builder
   */
  protected static <I> JobOptions.Builder<I> fastOptions() {
    return JobOptions.<I>builder()
        .batchTimeout(Duration.ofSeconds(20))
        .retryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2, 0.5));
  }

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "item-" + i).toList();
  }

  /**
   * An agent that answers each batch 2 ms later and records in {@code peak} the most batches it ran
   * at once.
   */
  private Agent<String, String> countingAgent(AtomicInteger peak) {
    AtomicInteger running = new AtomicInteger();
    return batch -> {
      peak.accumulateAndGet(running.incrementAndGet(), Math::max);
      CompletableFuture<List<String>> f = new CompletableFuture<>();
      agentTimer.schedule(
          () -> {
            running.decrementAndGet();
            f.complete(batch.items());
          },
          2,
          TimeUnit.MILLISECONDS);
      return f;
    };
  }

  /** Completes each batch after a pseudo-random delay of 0-4 ms, so batches finish out of order. */
  private <I> Agent<I, String> shuffledEcho(long seed) {
    Random random = new Random(seed);
    return batch -> {
      CompletableFuture<List<String>> f = new CompletableFuture<>();
      int delay;
      synchronized (random) {
        delay = random.nextInt(5);
      }
      agentTimer.schedule(
          () -> f.complete(batch.items().stream().map(i -> "out:" + i).toList()),
          delay,
          TimeUnit.MILLISECONDS);
      return f;
    };
  }

  @Test
  @DisplayName("returns one result per item in input order, however the batches finish")
  void resultsInInputOrder() {
    List<String> items = words(1000);
    JobResult<String, String> result =
        scheduler
            .submit(
                items,
                shuffledEcho(1),
                SchedulerContract.<String>fastOptions().concurrency(8).maxItems(3).build())
            .completion()
            .join();

    assertThat(result.results()).hasSize(1000);
    for (int i = 0; i < 1000; i++) {
      ItemResult<String, String> r = result.results().get(i);
      assertThat(r.index()).isEqualTo(i);
      assertThat(r.item()).isEqualTo(items.get(i));
      assertThat(r.status()).isEqualTo(ItemStatus.SUCCEEDED);
      assertThat(r.output()).isEqualTo("out:" + items.get(i));
      assertThat(r.attempts()).isEqualTo(1);
    }
    assertThat(result.stoppedEarly()).isEmpty();
    assertThat(result.progress().succeeded()).isEqualTo(1000);
    assertThat(result.progress().sourceExhausted()).isTrue();
  }

  @Test
  @DisplayName(
      "never puts more than maxItems items or maxTokens tokens in a batch; a larger item runs alone")
  void packingLimits() {
    Random random = new Random(42);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      items.add("x".repeat(1 + random.nextInt(i % 50 == 0 ? 180 : 40)));
    }
    List<Batch<String>> batches = new CopyOnWriteArrayList<>();
    Agent<String, Integer> agent =
        batch -> {
          batches.add(batch);
          return CompletableFuture.completedFuture(
              batch.items().stream().map(String::length).toList());
        };
    JobResult<String, Integer> result =
        scheduler
            .submit(
                items,
                agent,
                SchedulerContract.<String>fastOptions()
                    .maxItems(5)
                    .maxTokens(100)
                    .contextWindow(200)
                    .tokenCounter(String::length)
                    .build())
            .completion()
            .join();

    assertThat(result.outputs())
        .containsExactlyElementsOf(items.stream().map(String::length).toList());
    assertThat(batches)
        .allSatisfy(
            b -> {
              assertThat(b.size()).isBetween(1, 5);
              long tokens = b.items().stream().mapToLong(String::length).sum();
              assertThat(b.tokens()).isEqualTo(tokens);
              if (b.size() > 1) {
                assertThat(tokens).isLessThanOrEqualTo(100);
              }
            });
    assertThat(batches)
        .filteredOn(b -> b.tokens() > 100)
        .isNotEmpty()
        .allSatisfy(b -> assertThat(b.size()).isEqualTo(1));
  }

  @Test
  @DisplayName(
      "fails an item over the context window alone, naming its index, its tokens and the window")
  void oversizeItemFailsAlone() {
    List<String> items = List.of("aa", "b".repeat(300), "cc");
    JobResult<String, Integer> result =
        scheduler
            .submit(
                items,
                (Agent<String, Integer>)
                    batch ->
                        CompletableFuture.completedFuture(
                            batch.items().stream().map(String::length).toList()),
                SchedulerContract.<String>fastOptions()
                    .maxTokens(100)
                    .contextWindow(200)
                    .tokenCounter(String::length)
                    .build())
            .completion()
            .join();

    assertThat(result.results())
        .extracting(ItemResult::status)
        .containsExactly(ItemStatus.SUCCEEDED, ItemStatus.FAILED, ItemStatus.SUCCEEDED);
    assertThat(result.results().get(1).error())
        .hasMessageContaining("item 1")
        .hasMessageContaining("300")
        .hasMessageContaining("200");
    assertThat(result.results().get(1).attempts()).isZero();
  }

  @Test
  @DisplayName("runs at most `concurrency` batches at once")
  void boundedConcurrency() {
    AtomicInteger peak = new AtomicInteger();
    Agent<String, String> agent = countingAgent(peak);
    JobResult<String, String> result =
        scheduler
            .submit(
                words(200),
                agent,
                SchedulerContract.<String>fastOptions().concurrency(3).maxItems(2).build())
            .completion()
            .join();

    assertThat(result.outputs()).hasSize(200);
    assertThat(peak.get()).isBetween(1, 3);
  }

  @Test
  @DisplayName("jobs sharing a pool of permits run at most its size of batches at once, in all")
  void sharedPermits() {
    AtomicInteger peak = new AtomicInteger();
    Agent<String, String> agent = countingAgent(peak);
    CallPermits permits = new CallPermits(2);
    List<Job<String, String>> jobs = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      jobs.add(
          scheduler.submit(
              words(60),
              agent,
              SchedulerContract.<String>fastOptions()
                  .concurrency(4)
                  .maxItems(2)
                  .permits(permits)
                  .build()));
    }
    for (Job<String, String> job : jobs) {
      assertThat(job.completion().join().outputs()).hasSize(60);
    }
    assertThat(peak.get()).isBetween(1, 2);
    assertThat(permits.inUse()).isZero();
  }

  @Test
  @DisplayName(
      "when the job timeout passes, unfinished items fail with a TimeoutException and the job completes")
  void jobTimeout() {
    List<CompletableFuture<List<String>>> stages = new CopyOnWriteArrayList<>();
    Agent<String, String> agent =
        batch -> {
          CompletableFuture<List<String>> never = new CompletableFuture<>();
          stages.add(never);
          return never;
        };
    JobResult<String, String> result =
        scheduler
            .submit(
                words(10),
                agent,
                SchedulerContract.<String>fastOptions()
                    .maxItems(1)
                    .concurrency(2)
                    .jobTimeout(Duration.ofMillis(50))
                    .build())
            .completion()
            .join();

    assertThat(result.results())
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
              assertThat(r.error())
                  .isInstanceOf(TimeoutException.class)
                  .hasMessageContaining("job timeout");
            });
    assertThat(result.stoppedEarly()).isPresent();
    assertThat(stages)
        .as("the agents' work is cancelled")
        .allSatisfy(f -> assertThat(f).isCancelled());
  }

  @Test
  @DisplayName("a failing batch fails only its own items; the job goes on and completes normally")
  void errorIsolation() {
    Agent<String, String> agent =
        batch ->
            batch.items().contains("item-13")
                ? CompletableFuture.failedFuture(CallFailedException.permanent("bad batch", null))
                : CompletableFuture.completedFuture(batch.items());
    Job<String, String> job =
        scheduler.submit(
            words(40), agent, SchedulerContract.<String>fastOptions().maxItems(4).build());
    JobResult<String, String> result = job.completion().join();

    for (ItemResult<String, String> r : result.results()) {
      boolean poisoned = r.index() >= 12 && r.index() < 16;
      assertThat(r.status()).isEqualTo(poisoned ? ItemStatus.FAILED : ItemStatus.SUCCEEDED);
      if (poisoned) {
        assertThat(r.error()).isInstanceOf(CallFailedException.class).hasMessage("bad batch");
        assertThat(r.attempts()).isEqualTo(1); // permanent: never retried
      }
    }
    assertThat(result.progress().failed()).isEqualTo(4);
    assertThat(result.progress().succeeded()).isEqualTo(36);
  }

  @Test
  @DisplayName(
      "an agent that throws, or returns the wrong number of outputs, fails only that batch")
  void misbehavingAgent() {
    Agent<String, String> agent =
        batch -> {
          if (batch.items().contains("item-0")) {
            throw new IllegalStateException("agent blew up");
          }
          if (batch.items().contains("item-2")) {
            return CompletableFuture.completedFuture(List.of("only one"));
          }
          return CompletableFuture.completedFuture(batch.items());
        };
    JobResult<String, String> result =
        scheduler
            .submit(words(6), agent, SchedulerContract.<String>fastOptions().maxItems(2).build())
            .completion()
            .join();

    assertThat(result.results())
        .extracting(ItemResult::status)
        .containsExactly(
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.FAILED,
            ItemStatus.SUCCEEDED,
            ItemStatus.SUCCEEDED);
    assertThat(result.results().get(0).error()).hasMessage("agent blew up");
    assertThat(result.results().get(2).error())
        .hasMessageContaining("1 outputs")
        .hasMessageContaining("2 items");
  }

  @Test
  @DisplayName("retries retryable failures with the next attempt number, up to maxAttempts")
  void retriesRetryableFailures() {
    Map<Long, AtomicInteger> tries = new ConcurrentHashMap<>();
    List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
    Agent<String, String> agent =
        batch -> {
          attemptsSeen.add(batch.attempt());
          int n = tries.computeIfAbsent(batch.index(0), k -> new AtomicInteger()).incrementAndGet();
          if (batch.items().contains("item-1") && n < 3) {
            return CompletableFuture.failedFuture(CallFailedException.retryable("503", null, null));
          }
          if (batch.items().contains("item-2")) {
            return CompletableFuture.failedFuture(
                CallFailedException.retryable("always 503", null, null));
          }
          return CompletableFuture.completedFuture(batch.items());
        };
    JobResult<String, String> result =
        scheduler
            .submit(words(3), agent, SchedulerContract.<String>fastOptions().maxItems(1).build())
            .completion()
            .join();

    assertThat(result.results().get(0).attempts()).isEqualTo(1);
    assertThat(result.results().get(1).status()).isEqualTo(ItemStatus.SUCCEEDED);
    assertThat(result.results().get(1).attempts()).isEqualTo(3);
    assertThat(result.results().get(2).status()).isEqualTo(ItemStatus.FAILED);
    assertThat(result.results().get(2).attempts()).isEqualTo(3);
    assertThat(result.results().get(2).error()).hasMessage("always 503");
    assertThat(result.progress().retries()).isEqualTo(4);
    assertThat(attemptsSeen).containsOnly(1, 2, 3);
  }

  @Test
  @DisplayName("times out a batch that never answers and fails its items with a TimeoutException")
  void timesOut() {
    Agent<String, String> never = batch -> new CompletableFuture<>();
    JobResult<String, String> result =
        scheduler
            .submit(
                words(2),
                never,
                SchedulerContract.<String>fastOptions()
                    .batchTimeout(Duration.ofMillis(50))
                    .retryPolicy(RetryPolicy.NONE)
                    .build())
            .completion()
            .join();

    assertThat(result.results())
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(ItemStatus.FAILED);
              assertThat(r.error()).isInstanceOf(TimeoutException.class);
            });
  }

  @Test
  @DisplayName("publishes every result as it completes, then completes the subscription")
  void publishesResults() throws Exception {
    CountDownLatch subscribed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Agent<String, String> gated =
        batch ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return batch.items();
                });
    Job<String, String> job =
        scheduler.submit(words(50), gated, SchedulerContract.<String>fastOptions().build());
    List<ItemResult<String, String>> seen = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> completed = new CompletableFuture<>();
    job.results()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
                subscribed.countDown();
              }

              @Override
              public void onNext(ItemResult<String, String> item) {
                seen.add(item);
              }

              @Override
              public void onError(Throwable t) {
                completed.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                completed.complete(null);
              }
            });
    assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    completed.get(30, TimeUnit.SECONDS);
    job.completion().join();

    assertThat(seen).hasSize(50);
    assertThat(seen).extracting(ItemResult::index).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName(
      "cancel() cancels what is unfinished, keeps what is done, and says so; a second cancel() is false")
  void cancel() {
    Agent<String, String> agent =
        batch ->
            batch.items().contains("item-0")
                ? CompletableFuture.completedFuture(batch.items())
                : new CompletableFuture<>();
    Iterator<String> endless =
        IntStream.iterate(0, i -> i + 1).mapToObj(i -> "item-" + i).iterator();
    Job<String, String> job =
        scheduler.submit(
            endless,
            agent,
            SchedulerContract.<String>fastOptions().maxItems(1).concurrency(4).build());
    await(() -> job.progress().succeeded() == 1 && job.progress().inFlight() == 4);

    assertThat(job.cancel()).isTrue();
    JobResult<String, String> result = job.completion().join();

    assertThat(job.cancel()).isFalse();
    assertThat(result.stoppedEarly()).isPresent();
    assertThat(result.results().get(0).status()).isEqualTo(ItemStatus.SUCCEEDED);
    assertThat(result.results()).hasSizeLessThan(100); // the source was not read to its end
    assertThat(result.results().subList(1, result.results().size()))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(ItemStatus.CANCELLED);
              assertThat(r.error()).isInstanceOf(CancellationException.class);
            });
  }

  @Test
  @DisplayName("runs several jobs at once, each complete, in order and retried where needed")
  void concurrentJobs() {
    List<Job<String, String>> jobs = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      Agent<String, String> flaky =
          batch -> {
            if (batch.attempt() == 1 && batch.index(0) % 7 == 0) {
              return CompletableFuture.failedFuture(
                  CallFailedException.retryable("transient", null, null));
            }
            CompletableFuture<List<String>> f = new CompletableFuture<>();
            agentTimer.schedule(
                () -> f.complete(batch.items()), batch.index(0) % 3, TimeUnit.MILLISECONDS);
            return f;
          };
      jobs.add(
          scheduler.submit(
              words(500),
              flaky,
              SchedulerContract.<String>fastOptions()
                  .name("job-" + j)
                  .maxItems(1 + j)
                  .concurrency(2 + j)
                  .build()));
    }
    for (Job<String, String> job : jobs) {
      JobResult<String, String> result = job.completion().join();
      assertThat(result.outputs()).containsExactlyElementsOf(words(500));
      assertThat(result.results())
          .filteredOn(r -> r.attempts() == 2)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.status()).isEqualTo(ItemStatus.SUCCEEDED));
    }
  }

  @Test
  @DisplayName("refuses jobs after close(), and close() may be called twice")
  void closeRefusesNewJobs() {
    scheduler.close();
    scheduler.close();
    assertThatThrownBy(
            () ->
                scheduler.submit(
                    words(1),
                    (Agent<String, String>) b -> CompletableFuture.completedFuture(b.items()),
                    JobOptions.<String>defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static void await(BooleanSupplier condition) {
    io.batchwise.testing.Await.until(
        "the awaited job state", java.time.Duration.ofSeconds(30), condition);
  }
}
