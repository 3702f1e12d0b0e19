package io.batchwise.internal.scheduler;

import io.batchwise.config.Config;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.ItemResult;
import io.batchwise.scheduler.Job;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run by {@link BackpressureTest} in a JVM with a small heap: streams N items (made on demand,
 * never all in memory) through the local scheduler with results streamed, not retained, and checks
 * that every result arrives exactly once and that the items read but not finished never exceed the
 * bound. Prints {@code OK ...} and exits 0, or prints what went wrong and exits 1.
 */
public final class BackpressureMain {
  private BackpressureMain() {}

  /**
   * Runs the check.
   *
   * @param args the number of items, the concurrency, the items per batch
   * @throws Exception when the job cannot be run
   */
  public static void main(String[] args) throws Exception {
    long n = Long.parseLong(args[0]);
    int concurrency = Integer.parseInt(args[1]);
    int maxItems = Integer.parseInt(args[2]);
    AtomicLong read = new AtomicLong();
    AtomicLong processed = new AtomicLong();
    AtomicLong maxOutstanding = new AtomicLong();
    Iterator<String> source =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return read.get() < n;
          }

          @Override
          public String next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            long i = read.getAndIncrement();
            // about 100 bytes per item: ten million of them would need about 1 GB
            return "item number "
                + i
                + " of a source that is far too large to hold in a small heap, padded";
          }
        };
    Agent<String, Integer> agent =
        batch -> {
          maxOutstanding.accumulateAndGet(read.get() - processed.get(), Math::max);
          processed.addAndGet(batch.size());
          return CompletableFuture.completedFuture(
              batch.items().stream().map(String::length).toList());
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler =
        new LocalSchedulerFactory()
            .create(
                FactoryContext.of(
                    Config.of(Map.of(), Map.of()),
                    registry,
                    new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
                    null));
    AtomicLong streamed = new AtomicLong();
    AtomicLong indexSum = new AtomicLong();
    CompletableFuture<Void> streamDone = new CompletableFuture<>();
    Job<String, Integer> job =
        scheduler.submit(
            source,
            agent,
            JobOptions.<String>builder()
                .maxItems(maxItems)
                .concurrency(concurrency)
                .retainResults(false)
                .sizeHint(n)
                .build());
    job.results()
        .subscribe(
            new Flow.Subscriber<ItemResult<String, Integer>>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(ItemResult<String, Integer> r) {
                if (r.succeeded()) {
                  streamed.incrementAndGet();
                  indexSum.addAndGet(r.index());
                }
              }

              @Override
              public void onError(Throwable t) {
                streamDone.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                streamDone.complete(null);
              }
            });
    JobResult<String, Integer> result = job.completion().get(10, TimeUnit.MINUTES);
    streamDone.get(1, TimeUnit.MINUTES);
    scheduler.close();

    long bound = (long) concurrency * maxItems + maxItems + 1;
    long expectedSum = n * (n - 1) / 2;
    String figures =
        "succeeded="
            + result.progress().succeeded()
            + " streamed="
            + streamed.get()
            + " indexSum="
            + indexSum.get()
            + " maxOutstanding="
            + maxOutstanding.get()
            + " bound="
            + bound
            + " maxHeapMb="
            + Runtime.getRuntime().maxMemory() / (1024 * 1024);
    boolean ok =
        result.progress().succeeded() == n
            && streamed.get() == n
            && indexSum.get() == expectedSum
            && result.results().isEmpty()
            && maxOutstanding.get() <= bound;
    System.out.println((ok ? "OK " : "FAILED ") + figures);
    System.exit(ok ? 0 : 1);
  }
}
