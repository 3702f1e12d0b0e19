package io.batchwise.benchmarks.coalescing;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.benchmarks.openai.LatencyEmbeddingsServer;
import io.batchwise.scheduler.JobOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many small callers, few calls: {@value #THREADS} threads, each embedding one text at a time (a
 * web application's request threads embedding one query each), on one {@code openai} instance
 * against the loopback server with {@value #LATENCY_MILLIS} ms per request ({@link
 * LatencyEmbeddingsServer}), with {@code coalesce-window} at its default and, as the baseline in
 * the same run, off ({@code 0ms}). Both use the default concurrency (cores × 2 calls at once).
 *
 * <p>Reported: provider calls per embed, each embed's latency (p50, p95, p99, as its caller sees
 * it) and embeds per second. The targets: at most a tenth as many calls as embeds, and a p99
 * latency of at most the window plus one call, where one call is the p99 latency of a lone embed of
 * {@value #THREADS} texts (what a full group sends) measured in the same run.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.batchwise.benchmarks.coalescing.CoalescingBenchmark
 * [--quick]}.
 */
public final class CoalescingBenchmark implements MacroBenchmark {
  /** Callers at once. */
  static final int THREADS = 64;

  /** The injected latency of every request. */
  static final long LATENCY_MILLIS = 100;

  /** Vector length the server returns. */
  static final int DIMENSIONS = 256;

  /** The targets: calls per embed at most this. */
  static final double MAX_CALLS_PER_EMBED = 0.1;

  /**
   * {@code coalesce-window}'s default, which the coalesced runs use (they leave the option unset).
   */
  static final Duration DEFAULT_WINDOW = Duration.ofMillis(2);

  private static final String MODEL = "bench-embed";

  private final AtomicInteger round = new AtomicInteger();

  /** Creates the benchmark. */
  public CoalescingBenchmark() {}

  @Override
  public String title() {
    return "Many small callers: "
        + THREADS
        + " threads embedding one text each, coalesced into shared calls";
  }

  /**
   * Runs the benchmark and prints its Markdown.
   *
   * @param args {@code --quick} for the small version
   * @throws Exception when a round fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println(new CoalescingBenchmark().run(List.of(args).contains("--quick")));
  }

  /** What one run of the callers saw. */
  private record Run(String name, int embeds, int calls, double seconds, long[] latencyNanos) {
    double callsPerEmbed() {
      return (double) calls / embeds;
    }

    double percentileMillis(double p) {
      return percentile(latencyNanos, p) / 1e6;
    }

    /** Two rounds of the same callers as one. */
    static Run plus(Run a, Run b) {
      if (a == null) {
        return b;
      }
      long[] all = Arrays.copyOf(a.latencyNanos, a.latencyNanos.length + b.latencyNanos.length);
      System.arraycopy(b.latencyNanos, 0, all, a.latencyNanos.length, b.latencyNanos.length);
      return new Run(a.name, a.embeds + b.embeds, a.calls + b.calls, a.seconds + b.seconds, all);
    }
  }

  @Override
  public String run(boolean quick) throws Exception {
    // in each round, each thread embeds this many texts one after another, coalesced; the baseline,
    // whose embeds queue for the call slots (64 callers, cores x 2 slots), runs one text per thread
    // in the first few rounds only, so that the section fits the quick suite. The lone calls that
    // the latency target compares with are measured in every round too, so that both see the same
    // moments of a shared machine. The 64 callers of a group share one call's latency, so the p99
    // of the callers is decided by the slowest groups: enough groups that it is not the slowest one
    // alone (one pause of the JVM or the machine), as the lone calls' p99 is not the slowest call
    int rounds = quick ? 4 : 20;
    int perThread = quick ? 4 : 8;
    int baselineRounds = quick ? 1 : 6;
    int lonePerRound = quick ? 6 : 8;
    int warmups = quick ? 1 : 2;
    int concurrency = JobOptions.defaultConcurrency(JobOptions.DEFAULT_AGENTS_PER_CORE);
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    try (LatencyEmbeddingsServer server = new LatencyEmbeddingsServer(LATENCY_MILLIS, DIMENSIONS);
        Batchwise coalescing = builder(server, null);
        Batchwise alone = builder(server, "0ms")) {
      for (int w = 0; w < warmups; w++) {
        callers(callers, server, coalescing, "warm-up", 2);
        callers(callers, server, alone, "warm-up", 1);
        lone(server, alone, 3);
      }
      Run coalesced = null;
      Run baseline = null;
      Run oneCall = null;
      for (int r = 0; r < rounds; r++) {
        coalesced =
            Run.plus(
                coalesced,
                callers(
                    callers,
                    server,
                    coalescing,
                    "coalesce-window " + DEFAULT_WINDOW.toMillis() + " ms (default)",
                    perThread));
        if (r < baselineRounds) {
          baseline =
              Run.plus(
                  baseline, callers(callers, server, alone, "coalesce-window 0ms (baseline)", 1));
        }
        oneCall = Run.plus(oneCall, lone(server, alone, lonePerRound));
      }

      md.append(
              "| callers | embeds | provider calls | calls per embed | p50 ms | p95 ms | p99 ms | embeds/s |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Run r : List.of(coalesced, baseline, oneCall)) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.3f | %.1f | %.1f | %.1f | %.0f |%n",
                r.name(),
                r.embeds(),
                r.calls(),
                r.callsPerEmbed(),
                r.percentileMillis(0.5),
                r.percentileMillis(0.95),
                r.percentileMillis(0.99),
                r.embeds() / r.seconds()));
      }
      double bound = DEFAULT_WINDOW.toNanos() / 1e6 + oneCall.percentileMillis(0.99);
      double throughputRatio =
          (coalesced.embeds() / coalesced.seconds()) / (baseline.embeds() / baseline.seconds());
      md.append('\n')
          .append(
              String.format(
                  Locale.ROOT,
                  "- Coalesced against the baseline: %.1f× the embeds per second, %.1f× fewer calls per embed,"
                      + " p99 %.1f ms against %.1f ms.%n",
                  throughputRatio,
                  baseline.callsPerEmbed() / coalesced.callsPerEmbed(),
                  coalesced.percentileMillis(0.99),
                  baseline.percentileMillis(0.99)))
          .append(
              String.format(
                  Locale.ROOT,
                  "- One call: a lone embed of %d texts with coalescing off (what a full group sends), p99 %.1f ms;"
                      + " the window plus one call: %.1f ms. The coalesced p99 is the %d-th slowest of %d"
                      + " embeds, which rode in %d calls (%d callers a call at most); the lone p99 is the %d-th"
                      + " slowest of %d calls.%n",
                  THREADS,
                  oneCall.percentileMillis(0.99),
                  bound,
                  tailRank(coalesced.embeds()),
                  coalesced.embeds(),
                  coalesced.calls(),
                  THREADS,
                  tailRank(oneCall.embeds()),
                  oneCall.embeds()))
          .append(
              String.format(
                  Locale.ROOT,
                  "- %d threads; %d rounds, interleaved: in each, %d coalesced embeds per thread and %d lone calls;"
                      + " in the first %d, one baseline embed per thread (each waits for one of the %d call slots);"
                      + " every embed's text is new (no cache); %d warm-up rounds of each. Reproduce:"
                      + " `java -cp <benchmarks classpath> io.batchwise.benchmarks.coalescing.CoalescingBenchmark%s`%n",
                  THREADS,
                  rounds,
                  perThread,
                  lonePerRound,
                  baselineRounds,
                  concurrency,
                  warmups,
                  quick ? " --quick" : ""));
      md.append('\n')
          .append(
              Target.table(
                  List.of(
                      Target.atMost(
                          "coalesced provider calls per embed",
                          coalesced.callsPerEmbed(),
                          MAX_CALLS_PER_EMBED,
                          ""),
                      Target.atMost(
                          "coalesced p99 latency vs the window plus one call",
                          coalesced.percentileMillis(0.99),
                          bound,
                          " ms"))));
    } finally {
      callers.shutdownNow();
    }
    return md.toString();
  }

  private static Batchwise builder(LatencyEmbeddingsServer server, String window) {
    Batchwise.Builder b =
        Batchwise.builder()
            .provider("openai")
            .option("openai.base-url", server.baseUrl())
            .option("openai.api-key", "benchmark-key")
            .option("openai.model", MODEL)
            .option("openai.dimensions", String.valueOf(DIMENSIONS))
            .sources(new Properties(), Map.of());
    if (window != null) {
      b.option("coalesce-window", window);
    }
    return b.build();
  }

  /**
   * {@value #THREADS} threads, started together, each embedding {@code perThread} new texts one at
   * a time.
   */
  private Run callers(
      ExecutorService pool,
      LatencyEmbeddingsServer server,
      Batchwise bw,
      String name,
      int perThread)
      throws Exception {
    int r = round.incrementAndGet();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<long[]>> threads = new ArrayList<>();
    server.resetCounts();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      threads.add(
          pool.submit(
              () -> {
                long[] latencies = new long[perThread];
                start.await();
                for (int k = 0; k < perThread; k++) {
                  String text =
                      "round "
                          + r
                          + ", caller "
                          + thread
                          + ", query "
                          + k
                          + ": how do batches of embeddings share a call";
                  long t0 = System.nanoTime();
                  EmbedResult result = bw.embedder().embedAll(List.of(text));
                  latencies[k] = System.nanoTime() - t0;
                  check(result, 1);
                }
                return latencies;
              }));
    }
    long t0 = System.nanoTime();
    start.countDown();
    long[] all = new long[THREADS * perThread];
    for (int t = 0; t < THREADS; t++) {
      System.arraycopy(threads.get(t).get(), 0, all, t * perThread, perThread);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(name, all.length, server.requests(), seconds, all);
  }

  /** One thread embedding {@value #THREADS} new texts at a time, {@code n} times: one call each. */
  private Run lone(LatencyEmbeddingsServer server, Batchwise bw, int n) {
    int r = round.incrementAndGet();
    server.resetCounts();
    long[] latencies = new long[n];
    long t0 = System.nanoTime();
    for (int k = 0; k < n; k++) {
      List<String> texts = new ArrayList<>(THREADS);
      for (int i = 0; i < THREADS; i++) {
        texts.add(
            "round "
                + r
                + ", caller "
                + i
                + ", query "
                + k
                + ": how do batches of embeddings share a call");
      }
      long s = System.nanoTime();
      check(bw.embedder().embedAll(texts), THREADS);
      latencies[k] = System.nanoTime() - s;
    }
    return new Run(
        "one call of " + THREADS + " texts, alone",
        n,
        server.requests(),
        (System.nanoTime() - t0) / 1e9,
        latencies);
  }

  private static void check(EmbedResult result, int expected) {
    if (!result.allSucceeded() || result.vectors().size() != expected) {
      throw new IllegalStateException(
          "expected " + expected + " vectors; failures: " + result.failures());
    }
  }

  /** Which value, counted from the slowest, the nearest-rank p99 of {@code n} values is. */
  static int tailRank(int n) {
    return n - Math.max(1, (int) Math.ceil(0.99 * n)) + 1;
  }

  /** The nearest-rank percentile. */
  static double percentile(long[] values, double p) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
