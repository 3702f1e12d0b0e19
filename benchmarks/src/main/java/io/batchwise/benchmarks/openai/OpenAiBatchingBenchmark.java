package io.batchwise.benchmarks.openai;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.benchmarks.harness.Comparison;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.scheduler.JobOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code openai} provider against what applications do without it, all against one
 * OpenAI-compatible server on loopback with injected latency ({@link LatencyEmbeddingsServer}):
 *
 * <ol>
 *   <li>on a sample of texts: one request per text awaited in turn (baseline), and one request per
 *       text with bounded fan-out C (the "parallel gather" of single calls);
 *   <li>on N texts: requests of 2,048 texts sent one after another (baseline), and the provider
 *       through the pipeline ({@code Batchwise.builder().provider("openai")}) at concurrency C.
 * </ol>
 *
 * <p>Every round embeds texts not seen before (no count cache or embedding cache helps). Reported
 * per text, with the provider's requests against the fewest the 2,048-input limit allows, ⌈N/2048⌉,
 * and its median wall time against the lower bound max(⌈R/C⌉·L, R/RPM, T/TPM); no rate limit is
 * set, so the bound is ⌈R/C⌉·L. The target is at most 1.25× the bound.
 *
 * <p>Run: {@code java -cp benchmarks.jar io.batchwise.benchmarks.openai.OpenAiBatchingBenchmark
 * [--quick]}.
 */
public final class OpenAiBatchingBenchmark implements MacroBenchmark {
  /** The injected latency of every request. */
  static final long LATENCY_MILLIS = 100;

  /** Vector length the server returns: small enough that the 2 cores are not the bottleneck. */
  static final int DIMENSIONS = 256;

  /** OpenAI's inputs-per-request limit, used by the batching baseline and the provider alike. */
  static final int MAX_INPUTS = 2048;

  /** The target: the provider's median within this factor of the lower bound. */
  static final double TARGET_RATIO = 1.25;

  private static final String MODEL = "bench-embed";

  private final AtomicInteger round = new AtomicInteger();

  /** Creates the benchmark. */
  public OpenAiBatchingBenchmark() {}

  @Override
  public String title() {
    return "OpenAI-compatible server on loopback, " + LATENCY_MILLIS + " ms per request";
  }

  /**
   * Runs the benchmark and prints its Markdown.
   *
   * @param args {@code --quick} for the small version
   * @throws Exception when a round fails
   */
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    System.out.println(new OpenAiBatchingBenchmark().run(quick));
  }

  @Override
  public String run(boolean quick) throws Exception {
    int sample = quick ? 50 : 500;
    int n = 20_000;
    int warmups = 1;
    // the batched rounds are short (well under a second): enough warm-up rounds that the JIT has
    // compiled the client's and the server's hot paths before the clock counts, as in a long job
    int batchWarmups = 5;
    // a batched round and its baseline are short: nine of them in quick mode too, because a median
    // of five moves with the machine's moments by a visible share of the target's margin; full mode
    // takes 21, whose median moves less
    int rounds = quick ? 9 : 21;
    // a sequential round of 500 single calls takes a minute; quick mode's 50 take 5 s, two rounds
    // of them
    int singleRounds = quick ? 2 : 3;
    int concurrency = JobOptions.defaultConcurrency(JobOptions.DEFAULT_AGENTS_PER_CORE);
    StringBuilder md = new StringBuilder("## ").append(title()).append("\n\n");
    try (LatencyEmbeddingsServer server = new LatencyEmbeddingsServer(LATENCY_MILLIS, DIMENSIONS);
        PlainEmbeddingsClient plain = new PlainEmbeddingsClient(server.baseUrl(), MODEL);
        Batchwise bw = builder(server, concurrency)) {

      int[] requests = new int[4];
      Comparison.Result singles =
          Comparison.of(sample + " texts, one request each", sample)
              .baseline(
                  "sequential awaits",
                  () ->
                      counted(
                          server,
                          requests,
                          0,
                          () -> check(plain.sequentialSingles(texts(sample)), sample)))
              .candidate(
                  "parallel gather, fan-out " + concurrency,
                  () ->
                      counted(
                          server,
                          requests,
                          1,
                          () -> check(plain.parallelSingles(texts(sample), concurrency), sample)))
              .run(warmups, singleRounds);

      // each round's fresh texts are made before its clock starts
      AtomicReference<List<String>> fresh = new AtomicReference<>();
      // a short provider round follows a baseline round that allocates much: without a collection
      // in between, the baseline's garbage would be collected on the provider's clock
      Comparison.Result batches =
          Comparison.of(n + " texts, batched", n)
              .beforeEachRound(() -> fresh.set(texts(n)))
              .collectGarbageBeforeEachRound()
              .baseline(
                  "sequential batches of " + MAX_INPUTS,
                  () ->
                      counted(
                          server,
                          requests,
                          2,
                          () -> check(plain.sequentialBatches(fresh.get(), MAX_INPUTS), n)))
              .candidate(
                  "openai provider, concurrency " + concurrency,
                  () ->
                      counted(
                          server, requests, 3, () -> check(bw.embedder().embedAll(fresh.get()), n)))
              .run(batchWarmups, rounds);

      // the same work with no latency: what the CPU costs (tokenizing, JSON, vectors) on both sides
      Comparison.Result floor;
      try (LatencyEmbeddingsServer instant = new LatencyEmbeddingsServer(0, DIMENSIONS);
          PlainEmbeddingsClient plainInstant = new PlainEmbeddingsClient(instant.baseUrl(), MODEL);
          Batchwise bwInstant = builder(instant, concurrency)) {
        floor =
            Comparison.of(n + " texts, batched, 0 ms latency", n)
                .beforeEachRound(() -> fresh.set(texts(n)))
                .collectGarbageBeforeEachRound()
                .baseline(
                    "sequential batches of " + MAX_INPUTS + ", 0 ms",
                    () -> check(plainInstant.sequentialBatches(fresh.get(), MAX_INPUTS), n))
                .candidate(
                    "openai provider, 0 ms",
                    () -> check(bwInstant.embedder().embedAll(fresh.get()), n))
                .run(
                    quick ? 3 : batchWarmups,
                    quick ? 5 : rounds); // informational: no target rests on it
      }

      md.append(singles.toMarkdown("texts")).append('\n');
      md.append(batches.toMarkdown("texts")).append('\n');
      md.append(floor.toMarkdown("texts")).append('\n');

      String[] names = {
        singles.baseline(), singles.measurements().get(1).name(),
        batches.baseline(), batches.measurements().get(1).name()
      };
      double[] perText = {
        singles.get(names[0]).medianSeconds() / sample,
            singles.get(names[1]).medianSeconds() / sample,
        batches.get(names[2]).medianSeconds() / n, batches.get(names[3]).medianSeconds() / n
      };
      md.append(
          "| per text | requests per round | ms per text | × sequential awaits |\n|---|---:|---:|---:|\n");
      for (int i = 0; i < 4; i++) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.4f | %.0f |%n",
                names[i],
                requests[i],
                perText[i] * 1000,
                perText[0] / perText[i]));
      }

      int minimal = (n + MAX_INPUTS - 1) / MAX_INPUTS;
      double bound = Math.ceil((double) requests[3] / concurrency) * LATENCY_MILLIS / 1000.0;
      double providerMedian = batches.get(names[3]).medianSeconds();
      double ratio = providerMedian / bound;
      double cpuFloor = floor.get("openai provider, 0 ms").medianSeconds();
      List<Target> targets =
          List.of(
              Target.atMost(
                  "provider requests per round vs the fewest the input limit allows",
                  (double) requests[3] / minimal,
                  1.0,
                  "×"),
              Target.atMost(
                  "provider wall time vs the lower bound max(⌈R/C⌉·L, R/RPM, T/TPM)",
                  ratio,
                  TARGET_RATIO,
                  "×"));
      md.append('\n')
          .append(
              String.format(
                  Locale.ROOT,
                  "- Provider requests per round: %d; fewest the %d-input limit allows: ⌈%d/%d⌉ = %d → %s%n",
                  requests[3],
                  MAX_INPUTS,
                  n,
                  MAX_INPUTS,
                  minimal,
                  requests[3] == minimal ? "minimal" : "NOT minimal"))
          .append(
              String.format(
                  Locale.ROOT,
                  "- Lower bound max(⌈R/C⌉·L, R/RPM, T/TPM) with R = %d, C = %d, L = %d ms, no RPM/TPM limit: %.3f s;"
                      + " provider median %.3f s = %.2f× the bound (target ≤ %.2f×: %s)%n",
                  requests[3],
                  concurrency,
                  LATENCY_MILLIS,
                  bound,
                  providerMedian,
                  ratio,
                  TARGET_RATIO,
                  ratio <= TARGET_RATIO ? "met" : "NOT met"))
          .append(
              String.format(
                  Locale.ROOT,
                  "- The same provider work with 0 ms latency takes %.3f s (tokenizing %d texts, writing and"
                      + " parsing JSON, making vectors, on this machine's %d cores shared with the server):"
                      + " provider median = %.2f× (bound + that floor)%n",
                  cpuFloor,
                  n,
                  Runtime.getRuntime().availableProcessors(),
                  providerMedian / (bound + cpuFloor)))
          .append(
              String.format(
                  Locale.ROOT,
                  "- Server: %d-dimension base64 vectors; every round embeds texts never seen before (made before"
                      + " its clock starts); %d warm-up and %d measured rounds (single calls), %d warm-up and %d"
                      + " measured rounds (batched), interleaved, garbage collected before each round (untimed). Reproduce:"
                      + " `java -cp <benchmarks classpath> io.batchwise.benchmarks.openai.OpenAiBatchingBenchmark%s`%n",
                  DIMENSIONS,
                  warmups,
                  singleRounds,
                  batchWarmups,
                  rounds,
                  quick ? " --quick" : ""));
      md.append('\n').append(Target.table(targets));
    }
    return md.toString();
  }

  private static Batchwise builder(LatencyEmbeddingsServer server, int concurrency) {
    return Batchwise.builder()
        .provider("openai")
        .option("openai.base-url", server.baseUrl())
        .option("openai.api-key", "benchmark-key")
        .option("openai.model", MODEL)
        .option("openai.dimensions", String.valueOf(DIMENSIONS))
        .concurrency(concurrency)
        .sources(new Properties(), Map.of())
        .build();
  }

  /** Runs one round, recording the requests it made. */
  private static Object counted(
      LatencyEmbeddingsServer server, int[] requests, int slot, Callable<?> round)
      throws Exception {
    server.resetCounts();
    Object out = round.call();
    requests[slot] = server.requests();
    return out;
  }

  /** Common English words: chunks of them tokenize like prose, about one token a word. */
  private static final String[] WORDS =
      ("the of and to in is was that for it with as his on be at by had are but from or have an they"
              + " which one you were her all she there would their we him been has when who will more no if"
              + " out so said what up its about into than them can only other new some could time these two"
              + " may then do first any my now such like our over man me even most made after also did many"
              + " before must through back years where much your way well down should because each just"
              + " those people how too little state good very make world still own see men work long get"
              + " here between both life being under never day same another know while last might us great"
              + " old year off come since against go came right used take three embedding vector batch model"
              + " token request latency throughput server client retrieval document search index query")
          .split(" ");

  /** Fresh texts for one round: chunks of 5 to 60 common words, never seen in an earlier round. */
  private List<String> texts(int count) {
    int r = round.incrementAndGet();
    SplittableRandom random = new SplittableRandom(r);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder b =
          new StringBuilder("Round ").append(r).append(", text ").append(i).append(':');
      int words = 5 + random.nextInt(56);
      for (int w = 0; w < words; w++) {
        b.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      texts.add(b.append('.').toString());
    }
    return texts;
  }

  private static Object check(List<float[]> vectors, int expected) {
    if (vectors.size() != expected
        || vectors.stream().anyMatch(v -> v == null || v.length != DIMENSIONS)) {
      throw new IllegalStateException("expected " + expected + " vectors of " + DIMENSIONS);
    }
    return vectors;
  }

  private static Object check(EmbedResult result, int expected) {
    if (!result.allSucceeded()) {
      throw new IllegalStateException(
          "the provider failed "
              + result.failures().size()
              + " texts: "
              + result.failures().get(0));
    }
    return check(result.vectors(), expected);
  }
}
