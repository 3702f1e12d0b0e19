package io.batchwise.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.RetryPolicy;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.CallFailedException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A memoized agent skips items it has already processed, through a real scheduler job. */
class MemoizedAgentTest {
  private final Queue<List<String>> batchesSeen = new ConcurrentLinkedQueue<>();
  private final Agent<String, String> upper =
      batch -> {
        batchesSeen.add(batch.items());
        if (batch.items().contains("poison")) {
          return CompletableFuture.failedFuture(
              CallFailedException.permanent("cannot process poison", null));
        }
        return CompletableFuture.completedFuture(
            batch.items().stream().map(String::toUpperCase).toList());
      };

  private static Scheduler newScheduler() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    return FactoryRegistry.of(SchedulerFactory.class)
        .find("local")
        .create(
            io.batchwise.spi.FactoryContext.of(
                io.batchwise.config.Config.of(Map.of(), Map.of()),
                registry,
                new io.batchwise.tokenizer.TokenizerRegistry(
                    List.of(), 0, ForkJoinPool.commonPool(), registry),
                null));
  }

  private static JobOptions<String> options() {
    return JobOptions.<String>builder()
        .maxItems(4)
        .concurrency(2)
        .retryPolicy(RetryPolicy.NONE)
        .build();
  }

  @Test
  @DisplayName(
      "a rerun answers every item from the cache; a partly new batch sends only its new items")
  void skipsProcessedItems() {
    Memoizer memoizer = Memoizer.builder().build();
    Agent<String, String> once =
        memoizer.memoizeAgent("upper-v1", upper, ValueCodec.utf8(), null, -1);
    try (Scheduler scheduler = newScheduler()) {
      List<String> items = List.of("a", "b", "c", "d", "e");
      JobResult<String, String> first =
          scheduler.submit(items, once, options()).completion().join();
      assertThat(first.outputs()).containsExactly("A", "B", "C", "D", "E");
      int sentFirst = batchesSeen.stream().mapToInt(List::size).sum();
      assertThat(sentFirst).isEqualTo(5);

      batchesSeen.clear();
      JobResult<String, String> again =
          scheduler.submit(items, once, options()).completion().join();
      assertThat(again.outputs()).containsExactly("A", "B", "C", "D", "E");
      assertThat(batchesSeen).isEmpty();

      JobResult<String, String> mixed =
          scheduler.submit(List.of("a", "x", "b", "y"), once, options()).completion().join();
      assertThat(mixed.outputs()).containsExactly("A", "X", "B", "Y");
      assertThat(batchesSeen).containsExactly(List.of("x", "y"));
    }
  }

  @Test
  @DisplayName("failed items are not cached: they fail alone and a later job processes them again")
  void failuresAreNotCached() {
    Memoizer memoizer = Memoizer.builder().build();
    Agent<String, String> once =
        memoizer.memoizeAgent("upper-v2", upper, ValueCodec.utf8(), null, -1);
    try (Scheduler scheduler = newScheduler()) {
      JobResult<String, String> r =
          scheduler
              .submit(
                  List.of("ok", "poison"),
                  once,
                  JobOptions.<String>builder().maxItems(1).retryPolicy(RetryPolicy.NONE).build())
              .completion()
              .join();
      assertThat(r.results()).extracting(ItemResult::succeeded).containsExactly(true, false);
      batchesSeen.clear();
      scheduler
          .submit(
              List.of("ok", "poison"),
              once,
              JobOptions.<String>builder().maxItems(1).retryPolicy(RetryPolicy.NONE).build())
          .completion()
          .join();
      assertThat(batchesSeen).containsExactly(List.of("poison"));
    }
  }
}
