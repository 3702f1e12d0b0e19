package io.batchwise.internal.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchwise.config.Config;
import io.batchwise.config.ConfigOption;
import io.batchwise.config.ConfigurationException;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.ItemStatus;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CallFailedException;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler the factory makes, on its own threads: configuration, shutdown, interruption. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalSchedulerThreadsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Scheduler create(Map<String, String> settings, Executor sharedCpu) {
    Map<String, ConfigOption<?>> known = new HashMap<>();
    new LocalSchedulerFactory().options().forEach(o -> known.put(o.key(), o));
    Config config = Config.of(settings, known, k -> null, k -> null);
    return new LocalSchedulerFactory()
        .create(
            FactoryContext.of(
                config,
                registry,
                new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
                sharedCpu));
  }

  private static Set<Thread> schedulerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("batchwise-scheduler-") && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static List<String> words(int n) {
    return IntStream.range(0, n).mapToObj(i -> "w" + i).toList();
  }

  @Test
  @DisplayName(
      "close() leaves no thread behind, after blocking agents, timeouts, retries and a subscriber")
  void noThreadLeftAfterClose() throws Exception {
    Set<Thread> before = schedulerThreads();
    Scheduler scheduler = create(Map.of(), null);
    // w7's first attempt fails and is retried; no batch of this job can time out, however busy the
    // machine
    Agent<String, String> blocking =
        batch -> {
          if (batch.items().contains("w7") && batch.attempt() == 1) {
            return CompletableFuture.failedFuture(
                CallFailedException.retryable("w7 fails once", null, null));
          }
          try {
            Thread.sleep(1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(batch.items());
        };
    // beside it, a job whose agent blocks until its timeout interrupts it
    CountDownLatch interrupted = new CountDownLatch(1);
    Job<String, String> stuck =
        scheduler.submit(
            List.of("stuck"),
            (Agent<String, String>)
                batch -> {
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                  }
                  return CompletableFuture.completedFuture(batch.items());
                },
            JobOptions.<String>builder()
                .batchTimeout(Duration.ofMillis(50))
                .retryPolicy(RetryPolicy.NONE)
                .build());
    Job<String, String> job =
        scheduler.submit(
            words(200),
            blocking,
            JobOptions.<String>builder()
                .maxItems(3)
                .concurrency(8)
                .batchTimeout(Duration.ofMinutes(1))
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1), 1, 0))
                .build());
    CountDownLatch completed = new CountDownLatch(1);
    job.results()
        .subscribe(
            new Flow.Subscriber<ItemResult<String, String>>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ItemResult<String, String> item) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {
                completed.countDown();
              }
            });
    JobResult<String, String> result = job.completion().join();
    assertThat(result.progress().succeeded()).isEqualTo(200);
    assertThat(result.results().get(7).attempts()).isEqualTo(2);
    assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stuck.completion().join().results().get(0).error())
        .isInstanceOf(TimeoutException.class);
    assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(schedulerThreads()).as("threads while open").isNotEmpty();

    scheduler.close();

    Set<Thread> left = schedulerThreads();
    left.removeAll(before);
    assertThat(left).extracting(Thread::getName).isEmpty();
  }

  @Test
  @DisplayName(
      "close() with the shared CPU pool leaves that pool alone and stops only its own threads")
  void sharedCpuPoolIsNotClosed() {
    ExecutorService shared = Executors.newFixedThreadPool(2);
    try {
      Set<Thread> before = schedulerThreads();
      Scheduler scheduler = create(Map.of(), shared);
      scheduler
          .submit(
              words(20),
              (Agent<String, String>) b -> CompletableFuture.completedFuture(b.items()),
              JobOptions.<String>defaults())
          .completion()
          .join();
      scheduler.close();
      Set<Thread> left = schedulerThreads();
      left.removeAll(before);
      assertThat(left).isEmpty();
      assertThat(shared.isShutdown()).isFalse();
    } finally {
      shared.shutdownNow();
    }
  }

  @Test
  @DisplayName("close mode finish lets a running job end normally before close() returns")
  void closeModeFinish() {
    ExecutorService agentPool = Executors.newSingleThreadExecutor();
    try {
      Scheduler scheduler = create(Map.of("scheduler.close-mode", "finish"), null);
      Agent<String, String> slow =
          batch ->
              CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return batch.items();
                  },
                  agentPool);
      Job<String, String> job =
          scheduler.submit(words(20), slow, JobOptions.<String>builder().concurrency(2).build());

      scheduler.close();

      assertThat(job.completion()).isDone();
      JobResult<String, String> result = job.completion().join();
      assertThat(result.stoppedEarly()).isEmpty();
      assertThat(result.progress().succeeded()).isEqualTo(20);
    } finally {
      agentPool.shutdownNow();
    }
  }

  @Test
  @DisplayName("close mode finish cancels what is still running when the close timeout elapses")
  void closeTimeout() {
    Scheduler scheduler =
        create(Map.of("scheduler.close-mode", "finish", "scheduler.close-timeout", "100ms"), null);
    Job<String, String> job =
        scheduler.submit(
            words(3),
            (Agent<String, String>) b -> new CompletableFuture<>(),
            JobOptions.<String>defaults());
    ManualScheduler.await(() -> job.progress().inFlight() == 3);
    scheduler.close();
    JobResult<String, String> result = job.completion().join();
    assertThat(result.stopReason()).contains("close timeout of PT0.1S elapsed");
    assertThat(result.results())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.status()).isEqualTo(ItemStatus.CANCELLED));
  }

  @Test
  @DisplayName("close mode cancel cancels running jobs at once")
  void closeModeCancel() {
    Scheduler scheduler = create(Map.of("scheduler.close-mode", "cancel"), null);
    Job<String, String> job =
        scheduler.submit(
            words(3),
            (Agent<String, String>) b -> new CompletableFuture<>(),
            JobOptions.<String>builder().maxItems(1).concurrency(3).build());
    ManualScheduler.await(() -> job.progress().inFlight() == 3);
    scheduler.close();
    JobResult<String, String> result = job.completion().join();
    assertThat(result.stopReason()).isEqualTo("the scheduler was closed (close mode cancel)");
    assertThat(result.progress().cancelled()).isEqualTo(3);
  }

  @Test
  @DisplayName("a timeout interrupts an agent that blocks inside process()")
  void timeoutInterruptsBlockingAgent() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    try (Scheduler scheduler = create(Map.of(), null)) {
      Agent<String, String> stuck =
          batch -> {
            try {
              new CountDownLatch(1).await(); // blocks until the timeout interrupts it
            } catch (InterruptedException e) {
              interrupted.countDown();
            }
            return CompletableFuture.completedFuture(batch.items());
          };
      JobResult<String, String> result =
          scheduler
              .submit(
                  words(1),
                  stuck,
                  JobOptions.<String>builder()
                      .batchTimeout(Duration.ofMillis(50))
                      .retryPolicy(RetryPolicy.NONE)
                      .build())
              .completion()
              .join();
      assertThat(result.results().get(0).error()).isInstanceOf(TimeoutException.class);
      assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  @DisplayName(
      "agents-per-core sizes the agent pool: blocking agents never exceed cores × agentsPerCore")
  void agentPoolSize() {
    int cores = Runtime.getRuntime().availableProcessors();
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    try (Scheduler scheduler = create(Map.of("scheduler.agents-per-core", "1"), null)) {
      Agent<String, String> blocking =
          batch -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
              Thread.sleep(2);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return CompletableFuture.completedFuture(batch.items());
          };
      scheduler
          .submit(
              words(100),
              blocking,
              JobOptions.<String>builder().maxItems(1).concurrency(64).build())
          .completion()
          .join();
    }
    assertThat(peak.get()).isBetween(1, cores);
  }

  @Test
  @DisplayName("bad option values fail with the option's name and the allowed values")
  void badOptions() {
    assertThatThrownBy(() -> create(Map.of("scheduler.close-mode", "sideways"), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("scheduler.close-mode")
        .hasMessageContaining("finish or cancel");
    assertThatThrownBy(() -> create(Map.of("scheduler.agents-per-core", "0"), null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("scheduler.agents-per-core")
        .hasMessageContaining("[1, 256]");
  }

  @Test
  @DisplayName("ServiceLoader finds the local scheduler by its id")
  void discovery() {
    assertThat(FactoryRegistry.of(SchedulerFactory.class).find("local"))
        .isInstanceOf(LocalSchedulerFactory.class);
  }
}
