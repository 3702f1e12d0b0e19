package io.batchwise.benchmarks.scheduler;

import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.config.Config;
import io.batchwise.discovery.FactoryRegistry;
import io.batchwise.scheduler.Agent;
import io.batchwise.scheduler.Batch;
import io.batchwise.scheduler.JobOptions;
import io.batchwise.scheduler.JobResult;
import io.batchwise.scheduler.Scheduler;
import io.batchwise.scheduler.SchedulerFactory;
import io.batchwise.spi.FactoryContext;
import io.batchwise.tokenizer.TokenizerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The local scheduler against sequential processing, in one process:
 *
 * <ol>
 *   <li><b>I/O-bound agents</b>: each batch waits 50 ms of simulated I/O (a timer completes its
 *       future, as an HTTP client would). The ideal throughput is {@code concurrency / latency};
 *       the scheduler should reach at least 90% of it. Baseline: the same items one at a time.
 *   <li><b>Blocking agents</b>: each batch sleeps 50 ms in the agent's thread; the ideal is {@code
 *       agent threads / latency}.
 *   <li><b>Overhead per batch</b>: no-op agents that answer at once, so all that is measured is the
 *       scheduler's own work per batch (packing, bookkeeping, two thread hand-offs, results).
 *       Baseline: calling the agent directly in a loop.
 * </ol>
 *
 * <p>Run: {@code java -cp benchmarks/target/...
 * io.batchwise.benchmarks.scheduler.SchedulerBenchmark [--quick]}.
 */
public final class SchedulerBenchmark implements MacroBenchmark {
  /** The simulated I/O latency of one batch. */
  static final long LATENCY_MS = 50;

  /** The share of the ideal throughput the scheduler must reach with I/O-bound agents. */
  static final double TARGET = 0.9;

  /** Creates the benchmark. */
  public SchedulerBenchmark() {}

  @Override
  public String title() {
    return "Agent scheduler: throughput with 50 ms agents, and overhead per batch";
  }

  @Override
  public String run(boolean quick) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ScheduledThreadPoolExecutor io =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "simulated-io");
              t.setDaemon(true);
              return t;
            });
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    md.append(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, Java %s. Rounds interleaved, medians reported.%n%n",
            cores,
            System.getProperty("java.version")));
    try (Scheduler scheduler =
        FactoryRegistry.of(SchedulerFactory.class)
            .find("local")
            .create(
                FactoryContext.of(
                    Config.of(Map.of(), Map.of()),
                    registry,
                    new TokenizerRegistry(List.of(), 0, ForkJoinPool.commonPool(), registry),
                    null))) {
      int concurrency = quick ? 16 : 64;
      // the sequential baseline takes items × 50 ms per round, so keep the item count modest
      int items = concurrency * 5;
      List<Target> targets = new ArrayList<>();
      md.append(asyncIo(scheduler, io, concurrency, items, quick, targets));
      int threads = cores * JobOptions.DEFAULT_AGENTS_PER_CORE;
      md.append(blockingIo(scheduler, threads, threads * 10, quick, targets));
      md.append(tokenAware(scheduler, io, cores, quick ? 60 : 400));
      md.append(overhead(scheduler, cores, quick ? 20_000 : 200_000, quick));
      md.append(Target.table(targets));
      md.append('\n');
    } finally {
      io.shutdownNow();
    }
    md.append(
        "Reproduce: `./mvnw -B -q -pl benchmarks -am package -DskipTests` then run "
            + "`io.batchwise.benchmarks.scheduler.SchedulerBenchmark` (add `--quick` for the short run) "
            + "with the benchmarks module's runtime classpath.\n");
    return md.toString();
  }

  private static String asyncIo(
      Scheduler scheduler,
      ScheduledExecutorService io,
      int concurrency,
      int items,
      boolean quick,
      List<Target> targets)
      throws Exception {
    Agent<Integer, Integer> agent = batch -> later(io, batch);
    JobOptions<Integer> options =
        JobOptions.<Integer>builder()
            .name("bench-async")
            .maxItems(1)
            .concurrency(concurrency)
            .build();
    Comparison.Result r =
        Comparison.of("50 ms non-blocking agents, concurrency " + concurrency, items)
            .baseline("sequential (one at a time)", () -> sequential(agent, items))
            .candidate(
                "local scheduler",
                () -> check(scheduler.submit(source(items), agent, options), items))
            .run(1, 3);
    return section(
        r, concurrency, "50 ms non-blocking agents, concurrency " + concurrency, targets);
  }

  private static String blockingIo(
      Scheduler scheduler, int threads, int items, boolean quick, List<Target> targets)
      throws Exception {
    Agent<Integer, Integer> agent =
        batch -> {
          try {
            Thread.sleep(LATENCY_MS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return CompletableFuture.completedFuture(batch.items());
        };
    JobOptions<Integer> options =
        JobOptions.<Integer>builder()
            .name("bench-blocking")
            .maxItems(1)
            .concurrency(threads)
            .build();
    Comparison.Result r =
        Comparison.of("50 ms blocking agents, " + threads + " agent threads (cores × 2)", items)
            .baseline("sequential (one at a time)", () -> sequential(agent, items))
            .candidate(
                "local scheduler",
                () -> check(scheduler.submit(source(items), agent, options), items))
            .run(1, quick ? 3 : 5);
    return section(r, threads, "50 ms blocking agents, " + threads + " agent threads", targets);
  }

  /**
   * Item 4 of the benchmark suite: documents of mixed length through a 50 ms agent (an LLM call
   * that takes a batch of chunks), one awaited call per chunk against the scheduler's token-aware
   * batches (at most 4 chunks and 32,768 cl100k tokens per batch, cores × 2 agents).
   */
  private static String tokenAware(
      Scheduler scheduler, ScheduledExecutorService io, int cores, int items) throws Exception {
    io.batchwise.spi.Tokenizer cl100k =
        new io.batchwise.providers.openai.JtokkitTokenizerFactory().create("cl100k_base");
    Random random = new Random(42);
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      StringBuilder b = new StringBuilder("document " + i + ":");
      int words =
          random.nextInt(10) == 0 ? 6_000 + random.nextInt(8_000) : 20 + random.nextInt(600);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(Integer.toString(random.nextInt(40_000), 36));
      }
      docs.add(b.toString());
    }
    JobOptions<String> options =
        JobOptions.<String>builder()
            .name("bench-token-aware")
            .tokenCounter(cl100k::count)
            .build(); // the defaults: 4 items, 32,768 tokens, cores x 2 agents
    long[] maxBatchTokens = new long[1];
    Agent<String, Integer> agent =
        batch -> {
          synchronized (maxBatchTokens) {
            maxBatchTokens[0] = Math.max(maxBatchTokens[0], batch.size() > 1 ? batch.tokens() : 0);
          }
          CompletableFuture<List<Integer>> f = new CompletableFuture<>();
          io.schedule(
              () -> f.complete(batch.items().stream().map(String::length).toList()),
              LATENCY_MS,
              TimeUnit.MILLISECONDS);
          return f;
        };
    Comparison.Result r =
        Comparison.of("mixed-length documents, 50 ms agent per call", items)
            .baseline(
                "sequential, one document per call",
                () -> {
                  long n = 0;
                  for (int i = 0; i < docs.size(); i++) {
                    n += cl100k.count(docs.get(i));
                    agent
                        .process(new Batch<>(i, List.of(docs.get(i)), new long[] {i}, 0, 1))
                        .toCompletableFuture()
                        .join();
                  }
                  return n;
                })
            .candidate(
                "local scheduler, token-aware batches",
                () -> {
                  JobResult<String, Integer> done =
                      scheduler.submit(docs, agent, options).completion().join();
                  if (done.progress().succeeded() != items) {
                    throw new IllegalStateException(
                        "scheduler finished " + done.progress().succeeded() + " of " + items);
                  }
                  return done;
                })
            .run(1, 3);
    if (maxBatchTokens[0] > options.maxTokens()) {
      throw new IllegalStateException(
          "a batch of " + maxBatchTokens[0] + " tokens broke the 32,768 limit");
    }
    return r.toMarkdown("documents")
        + String.format(
            Locale.ROOT,
            "%nBatches of at most %d documents and %,d tokens (largest multi-document batch seen: %,d tokens; "
                + "longer documents run alone), %d agents. Speed-up over sequential: **%.1f×**.%n%n",
            options.maxItems(),
            options.maxTokens(),
            maxBatchTokens[0],
            options.concurrency(),
            r.ratio("local scheduler, token-aware batches"));
  }

  private static String section(
      Comparison.Result r, int concurrency, String claim, List<Target> targets) {
    double ideal = concurrency * 1000.0 / LATENCY_MS;
    double reached = r.get("local scheduler").unitsPerSecond();
    double share = reached / ideal;
    targets.add(
        Target.atLeast(claim + ": share of concurrency / latency", share * 100, TARGET * 100, "%"));
    return r.toMarkdown("items")
        + String.format(
            Locale.ROOT,
            "%nIdeal = concurrency / latency = %d / %d ms = %.0f items/s; the scheduler reached %.0f items/s = "
                + "**%.1f%% of ideal** (target ≥ %.0f%%: %s).%n%n",
            concurrency,
            LATENCY_MS,
            ideal,
            reached,
            share * 100,
            TARGET * 100,
            share >= TARGET ? "met" : "NOT met");
  }

  private static String overhead(Scheduler scheduler, int cores, int items, boolean quick)
      throws Exception {
    Agent<Integer, Integer> noop = batch -> CompletableFuture.completedFuture(batch.items());
    JobOptions<Integer> parallel =
        JobOptions.<Integer>builder()
            .name("bench-noop")
            .maxItems(1)
            .concurrency(cores * 2)
            .retainResults(false)
            .build();
    JobOptions<Integer> serial =
        JobOptions.<Integer>builder()
            .name("bench-noop-1")
            .maxItems(1)
            .concurrency(1)
            .retainResults(false)
            .build();
    JobOptions<Integer> packed =
        JobOptions.<Integer>builder()
            .name("bench-noop-packed")
            .maxItems(JobOptions.DEFAULT_MAX_ITEMS)
            .concurrency(cores * 2)
            .retainResults(false)
            .build();
    Comparison.Result r =
        Comparison.of("no-op agents, one item per batch", items)
            .baseline("direct calls in a loop", () -> sequential(noop, items))
            .candidate(
                "local scheduler, concurrency 1",
                () -> check(scheduler.submit(source(items), noop, serial), items))
            .candidate(
                "local scheduler, concurrency " + cores * 2,
                () -> check(scheduler.submit(source(items), noop, parallel), items))
            .candidate(
                "local scheduler, 4 items per batch",
                () -> check(scheduler.submit(source(items), noop, packed), items))
            .run(2, quick ? 3 : 5);
    StringBuilder b = new StringBuilder(r.toMarkdown("batches"));
    double direct = r.get("direct calls in a loop").medianSeconds() / items * 1e6;
    b.append(String.format(Locale.ROOT, "%nPer batch: direct call %.2f µs", direct));
    for (var m : r.measurements()) {
      if (!m.name().equals(r.baseline())) {
        double perBatch =
            m.medianSeconds()
                / items
                * 1e6
                * (m.name().contains("4 items") ? JobOptions.DEFAULT_MAX_ITEMS : 1);
        b.append(
            String.format(
                Locale.ROOT,
                "; %s %.2f µs (overhead %.2f µs)",
                m.name(),
                perBatch,
                perBatch - direct));
      }
    }
    b.append(".\n\n");
    return b.toString();
  }

  private static CompletionStage<List<Integer>> later(
      ScheduledExecutorService io, Batch<Integer> batch) {
    CompletableFuture<List<Integer>> f = new CompletableFuture<>();
    io.schedule(() -> f.complete(batch.items()), LATENCY_MS, TimeUnit.MILLISECONDS);
    return f;
  }

  private static long sequential(Agent<Integer, Integer> agent, int items) {
    long sum = 0;
    for (int i = 0; i < items; i++) {
      Batch<Integer> batch = new Batch<>(i, List.of(i), new long[] {i}, 0, 1);
      sum += agent.process(batch).toCompletableFuture().join().get(0);
    }
    if (sum != (long) items * (items - 1) / 2) {
      throw new IllegalStateException("sequential run lost items");
    }
    return sum;
  }

  private static long check(io.batchwise.scheduler.Job<Integer, Integer> job, int items) {
    JobResult<Integer, Integer> r = job.completion().join();
    if (r.progress().succeeded() != items) {
      throw new IllegalStateException(
          "scheduler finished " + r.progress().succeeded() + " of " + items + " items");
    }
    return r.progress().succeeded();
  }

  private static Iterator<Integer> source(int n) {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Integer next() {
        if (i >= n) {
          throw new NoSuchElementException();
        }
        return i++;
      }
    };
  }

  /**
   * Runs the benchmark and prints its Markdown.
   *
   * @param args {@code --quick} for the short run
   * @throws Exception when a round fails
   */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    System.out.println(new SchedulerBenchmark().run(quick));
  }
}
