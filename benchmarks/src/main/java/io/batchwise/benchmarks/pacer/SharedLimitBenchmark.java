package io.batchwise.benchmarks.pacer;

import io.batchwise.Batchwise;
import io.batchwise.EmbedResult;
import io.batchwise.benchmarks.cache.CacheFixtures;
import io.batchwise.benchmarks.harness.FullModeOnly;
import io.batchwise.benchmarks.harness.MacroBenchmark;
import io.batchwise.benchmarks.harness.Target;
import io.batchwise.benchmarks.openai.LatencyEmbeddingsServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * One rate limit for several workers: {@value #WORKERS} independent Batchwise instances (each with
 * its own pacer and, with {@code pacer=redis}, its own Redis connection, as {@value #WORKERS}
 * executors or processes would have) embed one text per call against a loopback OpenAI-compatible
 * server that enforces {@value #LIMIT_RPM} requests in any sliding minute and answers 429 beyond it
 * ({@link LatencyEmbeddingsServer#limited}, {@value #LATENCY_MILLIS} ms per answer).
 *
 * <p>The workers' shares of the work are uneven (40%, 30%, 20%, 10% of the calls), as partitions
 * and processes are. The baseline, in the same run, is what a user does without a shared budget:
 * each worker paced in-process at a quarter of the limit, so the limit is never exceeded but the
 * budget of a worker that ran out of work is lost. The contender holds the whole limit in Redis
 * ({@code pacer=redis}, the embedded Redis 6.2), shared by all four.
 *
 * <p>Reported from the server's own counts: calls accepted, calls answered 429, the most arrivals
 * in any 60 s and 10 s window (the 10 s window shows each pacer's burst), and the throughput
 * (accepted calls per minute of the run's wall time, from the start of the workers to the last
 * answer). The target: the shared limit's throughput at least {@value #TARGET_SHARE} of the limit.
 * Full mode only: a per-minute limit is measured over minutes of calls, which no quick scale
 * shortens.
 */
@FullModeOnly
public final class SharedLimitBenchmark implements MacroBenchmark {
  static final int WORKERS = 4;
  static final int LIMIT_RPM = 600;
  static final long LATENCY_MILLIS = 50;
  static final int DIMENSIONS = 8;

  /**
   * Calls in one run: three minutes' worth of the limit. An in-process pacer starts with a minute's
   * worth of its rate, which it may send at once; over a run of one minute that burst alone would
   * hide the budget the baseline's idle workers leave unused.
   */
  static final int CALLS = 1800;

  /** Each worker's share of the calls, in percent. */
  static final int[] SHARES = {40, 30, 20, 10};

  static final double TARGET_SHARE = 0.9;

  /** Creates the section. */
  public SharedLimitBenchmark() {}

  /**
   * Runs the section and prints its Markdown.
   *
   * @param args none
   * @throws Exception when a run fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println(new SharedLimitBenchmark().run(false));
  }

  @Override
  public String title() {
    return "One rate limit for "
        + WORKERS
        + " workers: "
        + LIMIT_RPM
        + " requests per minute held in Redis";
  }

  /** What the server counted in one run. */
  private record Run(
      String name, double seconds, int accepted, int refused, int mostIn60s, int mostIn10s) {
    double perMinute() {
      return accepted / seconds * 60;
    }
  }

  @Override
  public String run(boolean quick) throws Exception {
    try (CacheFixtures fixtures = new CacheFixtures()) {
      String redis = fixtures.redisUri();
      // each run against a server of its own, so that neither starts with the other's calls in its
      // window
      Run quarters =
          run(
              "each worker paced in-process at a quarter of the limit (baseline)",
              server ->
                  builder(server)
                      .option("requests-per-minute", String.valueOf(LIMIT_RPM / WORKERS)));
      Run shared =
          run(
              "one budget in Redis (pacer=redis)",
              server ->
                  builder(server)
                      .option("requests-per-minute", String.valueOf(LIMIT_RPM))
                      .option("pacer", "redis")
                      .option("cache.uri", redis)
                      .option("cache.redis.timeout", CacheFixtures.REDIS_TIMEOUT)
                      .option("pacer.redis.name", "bench-shared-limit")
                      .option("pacer.redis.workers", String.valueOf(WORKERS))
                      .option("pacer.redis.retry-after", "1h"));

      StringBuilder md = new StringBuilder();
      md.append(
          String.format(
              Locale.ROOT,
              "%d workers (threads, each its own Batchwise instance) embed %d texts,"
                  + " one per call, shares %d%%/%d%%/%d%%/%d%%, against a loopback server that accepts %d requests in"
                  + " any sliding minute (429 beyond it), %d ms per answer. Counts are the server's.%n%n",
              WORKERS,
              CALLS,
              SHARES[0],
              SHARES[1],
              SHARES[2],
              SHARES[3],
              LIMIT_RPM,
              LATENCY_MILLIS));
      md.append(
              "| pacing | wall s | accepted | answered 429 | most arrivals in 60 s | most in 10 s | accepted/min | of the limit |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (Run r : List.of(quarters, shared)) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %.1f | %d | %d | %d | %d | %.0f | %.1f%% |%n",
                r.name(),
                r.seconds(),
                r.accepted(),
                r.refused(),
                r.mostIn60s(),
                r.mostIn10s(),
                r.perMinute(),
                100 * r.perMinute() / LIMIT_RPM));
      }
      md.append(
          String.format(
              Locale.ROOT,
              "%nThe shared budget against the baseline: %.2f× the throughput.%n%n",
              shared.perMinute() / quarters.perMinute()));
      md.append(
          Target.table(
              List.of(
                  Target.atLeast(
                      "shared limit: accepted calls per minute, as a share of the limit",
                      100 * shared.perMinute() / LIMIT_RPM,
                      100 * TARGET_SHARE,
                      "%"),
                  Target.atMost(
                      "shared limit: calls answered 429, as a share of the calls accepted",
                      100.0 * shared.refused() / shared.accepted(),
                      1,
                      "%"))));
      md.append(
          "\nReproduce: `java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/batchwise-benchmarks.jar"
              + " --only pacer`\n");
      return md.toString();
    }
  }

  private static Batchwise.Builder builder(LatencyEmbeddingsServer server) {
    return Batchwise.builder()
        .provider("openai")
        .option("openai.base-url", server.baseUrl())
        .option("openai.api-key", "sk-bench")
        .option("openai.model", "text-embedding-3-small")
        .option("openai.dimensions", String.valueOf(DIMENSIONS))
        .option("openai.encoding-format", "float")
        .option("max-inputs-per-call", "1")
        .option("max-attempts", "20");
  }

  private static Run run(String name, Function<LatencyEmbeddingsServer, Batchwise.Builder> worker)
      throws IOException {
    List<Batchwise> instances = new ArrayList<>();
    try (LatencyEmbeddingsServer server =
        LatencyEmbeddingsServer.limited(
            LATENCY_MILLIS, DIMENSIONS, Duration.ofMinutes(1), LIMIT_RPM)) {
      for (int w = 0; w < WORKERS; w++) {
        instances.add(worker.apply(server).build());
      }
      // each worker's first call loads its tokenizer and opens its connections: untimed, then the
      // server counts afresh
      List<CompletableFuture<EmbedResult>> warmUps = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        warmUps.add(instances.get(w).embedder().embedAllAsync(List.of(name + " warm-up " + w)));
      }
      warmUps.forEach(f -> requireAll(f.join(), 1));
      server.resetCounts();
      long start = System.nanoTime();
      List<CompletableFuture<EmbedResult>> runs = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int n = w;
        List<String> texts =
            IntStream.range(0, CALLS * SHARES[w] / 100)
                .mapToObj(i -> name + " worker " + n + " text " + i)
                .toList();
        runs.add(instances.get(w).embedder().embedAllAsync(texts));
      }
      for (int w = 0; w < WORKERS; w++) {
        requireAll(runs.get(w).join(), CALLS * SHARES[w] / 100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Run(
          name,
          seconds,
          server.requests(),
          server.refused(),
          server.mostArrivalsIn(Duration.ofSeconds(60)),
          server.mostArrivalsIn(Duration.ofSeconds(10)));
    } finally {
      instances.forEach(Batchwise::close);
    }
  }

  private static void requireAll(EmbedResult result, int texts) {
    if (!result.allSucceeded() || result.vectors().size() != texts) {
      throw new IllegalStateException(
          "a worker's run did not embed all " + texts + " texts: " + result.failures());
    }
  }
}
